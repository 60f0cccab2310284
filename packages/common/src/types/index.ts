export * from './decimal.ts';
export * from './interval.ts';
export * from './datetime.ts';
export * from './format.ts';
export * from './parse.ts';
export * from './cast.ts';
export * from './compare.ts';
export * from './datum-json.ts';
