export * from './memcomparable.ts';
export * from './vnode.ts';
