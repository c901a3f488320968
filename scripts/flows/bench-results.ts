// The benchmark results: their schemas (bench-schema.ts) and the markdown
// tables rendered from them (tables/), under one name for the bench, the
// docs renderer and the report.
export * from './bench-schema.js';
export * from './tables/infra.js';
export * from './tables/designs.js';
export * from './tables/networks.js';
export * from './tables/mutation.js';
