import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/{backend,main,renderer,support}/**/*.test.{ts,tsx}'],
          environment: 'node',
          setupFiles: ['tests/support/stop-after-file.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/stop-after-file.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One browser at a time: two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
