import { describe, expect, it } from 'vitest';
import { chromiumAvailable, findChromium, type ChromiumSearch } from './browser';

const PLAYWRIGHT = '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';
const SPARTICUZ = '/tmp/chromium';

/** A machine with exactly the files in `present`; unpacking @sparticuz/chromium is counted, not done. */
function machine(present: string[], overrides: Partial<ChromiumSearch> = {}): ChromiumSearch & { unpacked: () => number } {
  const files = new Set(present);
  let unpacks = 0;
  return {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    platform: 'linux',
    arch: 'x64',
    exists: (path) => files.has(path),
    playwrightExecutable: () => PLAYWRIGHT,
    unpackSparticuz: () => {
      unpacks++;
      return Promise.resolve(SPARTICUZ);
    },
    unpacked: () => unpacks,
    ...overrides,
  };
}

describe('findChromium: which browser the e2e tests start', () => {
  it('takes PARLEY_CHROMIUM first, over every other browser on the machine', async () => {
    const search = machine(['/opt/my/chrome', PLAYWRIGHT, '/usr/bin/chromium'], { env: { PARLEY_CHROMIUM: '/opt/my/chrome' } });
    expect(await findChromium(search)).toEqual({ executablePath: '/opt/my/chrome', source: 'PARLEY_CHROMIUM' });
    expect(search.unpacked()).toBe(0);
  });

  it('says so when PARLEY_CHROMIUM names nothing, rather than quietly using another browser', async () => {
    const search = machine(['/usr/bin/chromium'], { env: { PARLEY_CHROMIUM: '/opt/missing/chrome' } });
    await expect(findChromium(search)).rejects.toThrow('PARLEY_CHROMIUM is /opt/missing/chrome, which does not exist');
  });

  it("takes Playwright's installed browser next, when its file is there", async () => {
    expect(await findChromium(machine([PLAYWRIGHT, '/usr/bin/chromium']))).toEqual({ executablePath: PLAYWRIGHT, source: 'playwright' });
    // Playwright names its path whether or not the browser was installed: a name alone is not a browser.
    expect(await findChromium(machine(['/usr/bin/chromium']))).toEqual({ executablePath: '/usr/bin/chromium', source: 'system' });
    expect(await findChromium(machine(['/usr/bin/chromium'], { playwrightExecutable: () => undefined }))).toMatchObject({ source: 'system' });
  });

  it('finds a system Chrome, Chromium or Edge at the usual places, then on the PATH', async () => {
    for (const path of ['/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge', '/opt/google/chrome/chrome', '/snap/bin/chromium']) {
      expect(await findChromium(machine([path]))).toEqual({ executablePath: path, source: 'system' });
    }
    expect(await findChromium(machine(['/usr/bin/google-chrome', '/usr/bin/chromium']))).toMatchObject({ executablePath: '/usr/bin/chromium' });
    expect(await findChromium(machine(['/usr/local/bin/google-chrome']))).toEqual({ executablePath: '/usr/local/bin/google-chrome', source: 'system' });
    const mac = machine(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'], { platform: 'darwin', arch: 'arm64' });
    expect(await findChromium(mac)).toMatchObject({ source: 'system' });
    const windows = machine(['C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe'], { platform: 'win32', env: { PROGRAMFILES: 'C:\\Program Files' } });
    expect(await findChromium(windows)).toMatchObject({ executablePath: 'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe' });
  });

  it('unpacks @sparticuz/chromium only when there is no browser at all, on Linux x64 and arm64', async () => {
    const x64 = machine([]);
    expect(await findChromium(x64)).toEqual({ executablePath: SPARTICUZ, source: '@sparticuz/chromium' });
    expect(x64.unpacked()).toBe(1);
    expect(await findChromium(machine([], { arch: 'arm64' }))).toMatchObject({ source: '@sparticuz/chromium' });
    expect(chromiumAvailable(machine([]))).toBe(true);
  });

  it('says how to get a browser where @sparticuz/chromium has none to offer', async () => {
    for (const search of [machine([], { platform: 'darwin', arch: 'arm64' }), machine([], { arch: 'ia32' }), machine([], { platform: 'win32' })]) {
      await expect(findChromium(search)).rejects.toThrow(/Set PARLEY_CHROMIUM=\/path\/to\/chrome, run "npx playwright-core install chromium"/);
      expect(search.unpacked()).toBe(0);
      expect(chromiumAvailable(search)).toBe(false);
    }
  });
});
