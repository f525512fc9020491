import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// 'electron' throws when imported outside Electron, so only these thin glue files may import it;
// everything else in main/ must stay loadable by the unit tests.
const ELECTRON_GLUE = new Set(['index.ts', 'window.ts', 'ipc.ts', 'backend-process.ts', 'safe-storage-cipher.ts']);

describe('main/ electron boundary', () => {
  const mainDir = join(import.meta.dirname, '..', '..', 'main');
  const files = readdirSync(mainDir).filter((name) => name.endsWith('.ts'));

  it.each(files.filter((name) => !ELECTRON_GLUE.has(name)))('%s does not import electron', (name) => {
    expect(readFileSync(join(mainDir, name), 'utf8')).not.toMatch(/from ['"]electron['"]|require\(['"]electron['"]\)/);
  });
});
