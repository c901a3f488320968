// Child process for the parallel-build test: builds the ws-4x4 simulator with
// a nonce flag (a fresh cache key) and prints the Build record as JSON.
import { generateGemmArray } from '../../generators/gemm/generate.js';
import { wsPresets } from '../../golden/gemm/config.js';
import { wsHarness } from '../gemm/array-sim.js';
import { build } from '../tools/verilator/runner.js';

const nonce = process.argv[2]!;
const cfg = wsPresets['ws-4x4']!;
const design = generateGemmArray('ws', cfg);
const b = await build({ design, harness: wsHarness(design, cfg), flags: [`-DACCELFORGE_NONCE_${nonce}`] });
process.stdout.write(JSON.stringify(b));
