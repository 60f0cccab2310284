// Entry of the playground's compactor thread: registers tsx in this thread, then runs the role.
import { register } from 'tsx/esm/api';
register();
await import('../src/compactor-thread.ts');
