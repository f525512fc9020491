import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run lint` enforces the backend's layers: protocol and base ← platform ← capabilities ← app,
 * no import cycles, capabilities and platform modules reached through their index. Each case lints
 * a real file with one import added (in memory: nothing is written) and expects the named rule.
 */
describe('npm run lint keeps the backend layered and acyclic', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: process.cwd() });
  });

  async function ruleIdsWith(file: string, addedLines: string): Promise<string[]> {
    const [result] = await eslint.lintText(`${readFileSync(file, 'utf8')}\n${addedLines}\n`, { filePath: file });
    return result!.messages.map((message) => message.ruleId ?? message.message);
  }

  it('passes the files as they are', async () => {
    for (const file of ['backend/platform/http/index.ts', 'backend/agent/turns/session-history.ts', 'backend/app/start-backend.ts']) {
      expect(await ruleIdsWith(file, '')).toEqual([]);
    }
  }, 60_000);

  it('fails on a deliberately introduced import cycle', async () => {
    const ids = await ruleIdsWith('backend/agent/turns/session-history.ts', "import { agentCapability } from '../index';\nvoid agentCapability;");
    expect(ids).toContain('import-x/no-cycle');
  }, 60_000);

  it('fails when the platform imports a capability (an upward import, and here a cycle too)', async () => {
    const ids = await ruleIdsWith('backend/platform/http/index.ts', "import '../../agent';");
    expect(ids).toEqual(expect.arrayContaining(['import-x/no-restricted-paths', 'import-x/no-cycle']));
    expect(await ruleIdsWith('backend/store/index.ts', "import '../speech';")).toContain('import-x/no-restricted-paths');
  }, 60_000);

  it('fails when base imports the platform, or a capability imports the composition root', async () => {
    expect(await ruleIdsWith('backend/base/errors.ts', "import '../platform/http';")).toContain('import-x/no-restricted-paths');
    expect(await ruleIdsWith('backend/speech/index.ts', "import '../app';")).toContain('import-x/no-restricted-paths');
  }, 60_000);

  it("fails when a capability reaches into another capability's or a platform module's files", async () => {
    expect(await ruleIdsWith('backend/speech/index.ts', "import '../agent/turns/channel-turns';")).toContain('no-restricted-imports');
    expect(await ruleIdsWith('backend/speech/index.ts', "import '../platform/http/sse';")).toContain('no-restricted-imports');
    expect(await ruleIdsWith('backend/platform/capability/capability.ts', "import '../http/sse';")).toContain('no-restricted-imports');
  }, 60_000);
});
