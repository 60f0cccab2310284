import { parentPort, workerData } from 'node:worker_threads';
import { startCompactorNode } from '@tributary/compute';

/**
 * The playground's compactor, on its own thread (its own event loop): compaction CPU stays off the
 * thread that runs meta, the compute node and the frontend. It talks to meta over gRPC like any
 * compactor node. The parent posts 'close' to stop it.
 */
const node = await startCompactorNode({ meta: (workerData as { meta: string }).meta, blockCacheBytes: 16 << 20 });
parentPort!.postMessage('started');
parentPort!.on('message', (m) => {
  if (m === 'close') void node.close().finally(() => parentPort!.postMessage('closed'));
});
