// The design registry: one line per design.
export { ws } from './ws/index.js';
export { rs } from './rs/index.js';
export { eie } from './eie/index.js';
export { os } from './os/index.js';
