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
          sequence: { groupOrder: 0 },
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
          // expect.poll waits for a state the console must reach, not for how fast (tests that time
          // something measure it); Vitest's 1 s default is too short for a first page load on a
          // busy two-core machine.
          expect: { poll: { timeout: 5_000 } },
          // One browser at a time: two cores.
          fileParallelism: false,
          // A group of its own, so it never runs beside the unit tests: several e2e tests assert how
          // fast the console reacts (a stopped answer stops within 1.5 s), which two cores shared
          // with whisper.cpp builds and Silero runs cannot promise.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
