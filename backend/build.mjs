// Bundles the backend into one ESM file that runs under `node` and Electron's utilityProcess.
// Dependencies stay external: better-sqlite3 is a native addon and the rest load faster from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['backend/main.ts'],
  outfile: 'out/backend/index.js',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  alias: { '#protocol': './backend/protocol/index.ts', '#audio': './backend/base/audio/index.ts' },
  sourcemap: true,
  logLevel: 'warning',
});
