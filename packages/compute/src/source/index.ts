export { parseDatagenOptions, datagenRow, type DatagenConfig } from './datagen.ts';
