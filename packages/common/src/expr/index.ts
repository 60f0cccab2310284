export * from './expr.ts';
export * from './functions.ts';
export * from './build-expr.ts';
export * from './aggregate.ts';
export * from './statement-time.ts';
