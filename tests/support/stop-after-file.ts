// Vitest setup file (vitest.config.ts, every project). After each test file's own afterAll hooks
// (setup-file hooks run last), it stops what the harnesses started and the file did not stop: a
// suite whose beforeAll failed half-way (the browser would not start, after the backend had) has
// no handle to stop it with.
import { afterAll } from 'vitest';
import { stopEverythingLeftRunning } from './left-running';

afterAll(async () => {
  await stopEverythingLeftRunning();
});
