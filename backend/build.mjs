// Bundles the backend into ESM files that run under `node` and Electron's utilityProcess: the backend, and its public listener's thread.
// Dependencies stay external: better-sqlite3 is a native addon and the rest load faster from node_modules.
import { build } from 'esbuild';

await build({
  // The public listener's thread (backend/server/public-thread) is a file of its own beside the bundle.
  entryPoints: { index: 'backend/main.ts', 'public-thread': 'backend/server/public-thread/public-thread-entry.ts' },
  outdir: 'out/backend',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  alias: { '#protocol': './backend/protocol/index.ts', '#audio': './backend/base/audio/index.ts' },
  sourcemap: true,
  logLevel: 'warning',
});
