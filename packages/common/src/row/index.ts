export * from './byte-buffer.ts';
export * from './row-codec.ts';
