// Child process of the live parallel-safety test: opens ws-4x4 live (the
// build from ACCELFORGE_CACHE, or built there), writes CSR m, reads it back,
// and prints what it saw as JSON.
import { wsPresets } from '../../golden/gemm/config.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { buildLive } from '../tools/live/sim.js';
import { openGemmLive } from './live.js';

const m = Number(process.argv[2]);
const cfg = wsPresets['ws-4x4']!;
const b = await buildLive(generateGemm('ws', cfg));
const g = await openGemmLive('ws', cfg);
await g.writeCsr('m', m);
const read = Number(await g.readCsr('m'));
const simPid = g.sim.pid;
await g.close();
process.stdout.write(JSON.stringify({ binary: b.binary, cached: b.cached, simPid, read }));
