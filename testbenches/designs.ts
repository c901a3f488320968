// The registry of designs: one line per design.
export { ws } from './gemm/design.js';
export { rs } from './rs/index.js';
export { eie } from './eie/index.js';
export { os } from './gemm/design.js';
