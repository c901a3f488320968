// The ws golden model: the GEMM of core/gemm.ts (numerics.md `ws`).
export { gemm, type GemmProblem } from '../common/gemm.js';
