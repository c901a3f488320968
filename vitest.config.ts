import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.accelforge/**', 'out/**', '.scratch/**'],
    // Verilator builds dominate; a cold C++ compile of one config takes 5-100 s.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'artifacts/junit.xml' }]] : ['default'],
  },
});
