/**
 * The headless Chromium the end-to-end tests and the renderer bench drive. Found in this order:
 *   1. PARLEY_CHROMIUM, when set (a path that does not exist is an error, not a reason to look on);
 *   2. Playwright's own browser, if `npx playwright-core install chromium` put it there;
 *   3. a system Chrome, Chromium or Edge at the usual places or on the PATH;
 *   4. the npm package @sparticuz/chromium (a dev dependency): a headless Chromium for Linux x64 and
 *      arm64, unpacked into the temp dir on first use (~6 s), so `npm install && npm test` needs
 *      nothing from the system.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { acquireOwnerLock } from './owner-lock';

export const TEST_OUTPUT_DIR = 'test-results';

export type ChromiumSource = 'PARLEY_CHROMIUM' | 'playwright' | 'system' | '@sparticuz/chromium';

export interface FoundChromium {
  executablePath: string;
  source: ChromiumSource;
}

/** Where findChromium looks; injectable so the order can be tested without the browsers. */
export interface ChromiumSearch {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  arch: string;
  exists(path: string): boolean;
  /** The path Playwright would launch (it names it whether or not the browser is installed). */
  playwrightExecutable(): string | undefined;
  /** Unpacks @sparticuz/chromium and answers its path. */
  unpackSparticuz(): Promise<string>;
}

export const SYSTEM_BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];

/** The usual install places of Chrome, Chromium and Edge per platform, before the PATH is searched. */
export function systemBrowserPaths(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin') {
    return ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'].map(
      (app) => `/Applications/${app}`,
    );
  }
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter((root): root is string => Boolean(root));
    return roots.flatMap((root) => [`${root}\\Google\\Chrome\\Application\\chrome.exe`, `${root}\\Chromium\\Application\\chrome.exe`, `${root}\\Microsoft\\Edge\\Application\\msedge.exe`]);
  }
  return [
    ...SYSTEM_BROWSER_NAMES.map((name) => `/usr/bin/${name}`),
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
    '/opt/microsoft/msedge/msedge',
  ];
}

/** A browser already on this machine (steps 1-3), without unpacking anything; undefined when there is none. */
export function findInstalledChromium(search: ChromiumSearch = defaultSearch()): FoundChromium | undefined {
  const configured = search.env['PARLEY_CHROMIUM'];
  if (configured) {
    if (!search.exists(configured)) throw new Error(`PARLEY_CHROMIUM is ${configured}, which does not exist`);
    return { executablePath: configured, source: 'PARLEY_CHROMIUM' };
  }
  const playwright = search.playwrightExecutable();
  if (playwright && search.exists(playwright)) return { executablePath: playwright, source: 'playwright' };

  const onPath = search.platform === 'win32' ? [] : (search.env['PATH'] ?? '').split(delimiter).filter(Boolean).flatMap((dir) => SYSTEM_BROWSER_NAMES.map((name) => join(dir, name)));
  const system = [...systemBrowserPaths(search.platform, search.env), ...onPath].find((path) => search.exists(path));
  return system ? { executablePath: system, source: 'system' } : undefined;
}

function sparticuzRuns(search: ChromiumSearch): boolean {
  return search.platform === 'linux' && (search.arch === 'x64' || search.arch === 'arm64');
}

/** Whether {@link launchChromium} has a browser to start here (installed, or @sparticuz/chromium to unpack). */
export function chromiumAvailable(search: ChromiumSearch = defaultSearch()): boolean {
  try {
    return findInstalledChromium(search) !== undefined || sparticuzRuns(search);
  } catch {
    return false; // PARLEY_CHROMIUM names nothing: launching says so
  }
}

/** The browser to launch, by the order in this file's header; throws saying how to get one when there is none. */
export async function findChromium(search: ChromiumSearch = defaultSearch()): Promise<FoundChromium> {
  const installed = findInstalledChromium(search);
  if (installed) return installed;
  if (sparticuzRuns(search)) return { executablePath: await search.unpackSparticuz(), source: '@sparticuz/chromium' };
  throw new Error(
    'No Chromium for the end-to-end tests. Set PARLEY_CHROMIUM=/path/to/chrome, run "npx playwright-core install chromium", ' +
      'or install Google Chrome, Chromium or Microsoft Edge. (@sparticuz/chromium, used otherwise, exists for Linux x64 and arm64 only.)',
  );
}

function defaultSearch(): ChromiumSearch {
  return {
    env: process.env,
    platform: process.platform,
    arch: process.arch,
    exists: existsSync,
    playwrightExecutable: () => {
      try {
        return chromium.executablePath();
      } catch {
        return undefined; // a platform Playwright has no build for
      }
    },
    unpackSparticuz,
  };
}

const run = promisify(execFile);

/**
 * @sparticuz/chromium unpacks to `<tmp>/chromium` and reuses any file already there, even one cut
 * short by an interrupted unpack. So: one unpack at a time (test files and concurrent runs share the
 * temp dir), and a binary that cannot even print its version is removed and unpacked again.
 */
async function unpackSparticuz(): Promise<string> {
  const { default: sparticuz } = await import('@sparticuz/chromium');
  const unlock = await acquireOwnerLock(join(tmpdir(), 'parley-sparticuz-chromium.lock'));
  try {
    const unpacked = join(tmpdir(), 'chromium');
    if (existsSync(unpacked) && !(await runsVersion(unpacked))) await rm(unpacked, { force: true });
    const path = await sparticuz.executablePath();
    if (!(await runsVersion(path))) throw new Error(`@sparticuz/chromium unpacked ${path}, but it does not run`);
    return path;
  } finally {
    await unlock();
  }
}

async function runsVersion(path: string): Promise<boolean> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 15_000 });
    return /\d+\.\d+/.test(stdout);
  } catch {
    return false;
  }
}

/**
 * For callers that check a path before launching: the installed browser, else where
 * @sparticuz/chromium unpacks to (present once unpacked). Prefer {@link chromiumAvailable}.
 */
export const CHROMIUM_PATH = safeInstalledPath() ?? join(tmpdir(), 'chromium');

function safeInstalledPath(): string | undefined {
  try {
    return findInstalledChromium()?.executablePath;
  } catch {
    return process.env['PARLEY_CHROMIUM'];
  }
}

let found: Promise<FoundChromium> | undefined;

/**
 * Headless Chromium with a fresh profile per launch. The flags keep it off a network this machine
 * does not have; --no-sandbox because test machines often run as root or in containers without
 * user namespaces; --disable-gpu because there is no GPU and nothing here draws in 3D.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const { executablePath } = await (found ??= findChromium());
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** Collects console errors and uncaught page errors so a test can assert there were none. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}
