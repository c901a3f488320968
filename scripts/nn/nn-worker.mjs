// Worker-thread entry for the long synchronous network jobs (training,
// Deep Compression): a worker's own tsx loader, then the job module.
import { register } from 'tsx/esm/api';

register();
await import('./nn-jobs.ts');
