import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';

const betterSqlite3Path = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * A child process running one of our SQLite scripts on `filename`, talking over IPC. SQLite lives
 * out of the backend's process because a statement cannot be interrupted from JavaScript: a
 * runaway or cancelled one is ended by killing its process (an unfinished write is rolled back by
 * SQLite's journal when the file is next opened).
 */
export function spawnSqliteScript(script: string, filename: string): { child: ChildProcess; stderr: () => string } {
  // Electron's binary runs as plain Node with ELECTRON_RUN_AS_NODE; under node it is ignored.
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', PARLEY_BETTER_SQLITE3: betterSqlite3Path, PARLEY_SQLITE_FILE: filename },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return { child, stderr: () => stderr.trim() };
}
