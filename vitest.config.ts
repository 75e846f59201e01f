import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Many files wait on child processes (upstream servers, the Python sandbox), not the CPU: on a
    // 2-core runner vitest's default (cores - 1) would run them one at a time. Three at a time was
    // little faster than two (the suite is then bound by CPU) and starved timing-sensitive runs.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
