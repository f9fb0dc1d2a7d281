// The entry of the engine's worker thread (`thread.ts`). Node.js does not apply the parent's
// `--import tsx` to a worker's own entry file, so a worker started on `thread-worker.ts` fails on
// its extension: this plain module registers tsx's loader in the worker first, when the worker
// is to run TypeScript from source, then loads it.
import { workerData } from 'node:worker_threads';

const { entry } = workerData;
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
