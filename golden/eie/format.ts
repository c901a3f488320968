// The EIE storage format lives with the encoder (nn/eie-format.ts); re-exported for the design.
export * from '../nn/eie-format.js';
