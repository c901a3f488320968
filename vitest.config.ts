import { defineConfig } from 'vitest/config';

const exclude = [
  'node_modules/**',
  '.accelforge/**',
  'out/**',
  '.scratch/**',
  'artifacts/**',
  'dist/**',
  'examples/**',
];

// Two projects: `unit` (pure TypeScript: models, mappers, host programs,
// encoders, configs; seconds) and `cosim` (simulators, synthesis and the CLI
// in a child process; a cold C++ compile of one config takes 5-100 s).
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'artifacts/junit.xml' }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...exclude, '**/*.cosim.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'cosim', include: ['**/*.cosim.test.ts'], exclude, testTimeout: 600_000, hookTimeout: 600_000 },
      },
    ],
  },
});
