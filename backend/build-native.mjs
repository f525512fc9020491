// Builds whisper.cpp's in-process binding (smart-whisper) for this machine's CPU, once, after
// `npm install` (package.json "postinstall"). npm's own build of it (blocked in "allowScripts")
// would run node-gyp without SIMD flags: ggml then falls back to SSE2 and a 3 s utterance takes
// ~6× longer. whisper.cpp's own Makefile turns these flags on from /proc/cpuinfo; so does this.
// A failed build is not fatal: Parley then uses the prebuilt @fugood/whisper.node and says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { arch, availableParallelism, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'node_modules', 'smart-whisper');
const addon = join(packageDir, 'build', 'Release', 'smart-whisper.node');
const buildRecord = join(packageDir, 'build', 'Release', '.deps', 'Release', 'obj.target', 'smart-whisper', 'whisper.cpp', 'ggml', 'src', 'ggml.o.d');

if (!existsSync(packageDir)) process.exit(0);
const flags = ['-DNDEBUG', ...simdFlags()].join(' ');
if (existsSync(addon) && builtWith(flags)) {
  console.log(`parley: smart-whisper is already built for this CPU (${flags})`);
  process.exit(0);
}

const nodeGyp = nodeGypPath();
if (!nodeGyp) warn('node-gyp was not found (it ships with npm)');
console.log(`parley: building smart-whisper (whisper.cpp) for this CPU: ${flags} — about a minute`);
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--jobs', String(availableParallelism())], {
  cwd: packageDir,
  // whisper.cpp's compiler warnings run to hundreds of lines: shown only when the build fails.
  stdio: ['ignore', 'ignore', 'pipe'],
  maxBuffer: 64 * 1024 * 1024,
  env: { ...process.env, CFLAGS: flags, CXXFLAGS: flags },
});
if (result.status !== 0) {
  process.stderr.write(String(result.stderr ?? '').slice(-6000));
  warn(`node-gyp failed (${result.error?.message ?? `exit ${result.status}`}); a C++ compiler and Python 3 are needed`);
}
console.log('parley: smart-whisper built');

function simdFlags() {
  if (arch() !== 'x64' || platform() !== 'linux') return [];
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].split(/\s+/) ?? [];
  const wanted = ['avx', 'avx2', 'fma', 'f16c'];
  return wanted.every((flag) => cpu.includes(flag)) ? wanted.map((flag) => `-m${flag}`) : [];
}

function builtWith(wantedFlags) {
  try {
    const command = readFileSync(buildRecord, 'utf8').split('\n', 1)[0];
    return wantedFlags.split(' ').every((flag) => command.includes(` ${flag}`));
  } catch {
    // No record (Windows builds keep none): an existing addon is taken as it is.
    return platform() === 'win32';
  }
}

function nodeGypPath() {
  // npm tells its lifecycle scripts where its bundled node-gyp is; outside one, find it beside npm.
  const candidates = [process.env.npm_config_node_gyp, process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

function warn(reason) {
  console.warn(`parley: smart-whisper could not be built: ${reason}.\n  Local speech recognition will use @fugood/whisper.node (prebuilt, slower). Fix the cause, then run: node backend/build-native.mjs`);
  process.exit(0);
}
