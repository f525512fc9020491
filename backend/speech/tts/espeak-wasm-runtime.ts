/**
 * The one file that loads `espeak-ng` (GPL-3.0-or-later), and only through a dynamic import, so
 * the rest of Parley does not link it: a build that leaves this capability out does not contain it.
 *
 * The npm package is the espeak-ng *command line program* compiled to WASM with its data embedded:
 * its only entry point is `main(argc, argv)`, and main() is not re-entrant (getopt keeps its
 * position in globals, the library keeps its state in others). Instantiating it costs ~150 ms, so
 * we instantiate once, snapshot the WASM memory before main() ever runs, and put the snapshot back
 * before each run: every run starts from the pristine program, as a new process would, for the
 * price of a ~16 MB memory copy (~2 ms, done while the thread is idle) instead of an instantiation.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

interface EmscriptenStream {
  fd: number;
}

interface EmscriptenFs {
  writeFile(path: string, data: string | Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
  analyzePath(path: string): { exists: boolean };
  close(stream: EmscriptenStream): void;
  streams: Array<EmscriptenStream | null | undefined>;
}

interface EspeakModule {
  FS: EmscriptenFs;
  _main(argc: number, argv: number): number;
  ___emscripten_embedded_file_data: number;
}

interface EspeakExports {
  memory: { buffer: ArrayBuffer };
  malloc(bytes: number): number;
  stackSave(): number;
  stackRestore(pointer: number): void;
}

type EspeakFactory = (options: Record<string, unknown>) => Promise<EspeakModule>;

/** The bit of the WebAssembly global used here (Node's types do not declare it without the DOM lib). */
interface WasmInstance {
  exports: unknown;
}
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: WasmInstance }> };
};

export interface EspeakRunResult {
  exitCode: number;
  stdout: string[];
  stderr: string[];
  /** The requested output files that the run wrote. */
  outputs: Map<string, Uint8Array>;
}

export interface EspeakRunRequest {
  /** Files to create in the program's in-memory file system first (path → content). */
  inputs?: Record<string, string>;
  /** Files to read back after the run. */
  outputs?: string[];
}

/** A range of WASM memory to put back before each run. */
interface SavedRange {
  start: number;
  bytes: Uint8Array;
}

export class EspeakWasmRuntime {
  private sink: { stdout: string[]; stderr: string[] } | undefined;
  private dirty = false;
  private broken: Error | undefined;
  /** Called once if the program crashes, so the shared instance can be replaced. */
  onCrash: (() => void) | undefined;
  private saved: SavedRange[] = [];
  private module!: EspeakModule;
  private exports!: EspeakExports;

  private constructor() {}

  /** A new instance. Most callers want the process-wide one from {@link loadEspeakRuntime}. */
  static async create(): Promise<EspeakWasmRuntime> {
    const runtime = new EspeakWasmRuntime();
    await runtime.instantiate();
    return runtime;
  }

  private async instantiate(): Promise<void> {
    const require = createRequire(import.meta.url);
    const scriptPath = require.resolve('espeak-ng');
    // Read the bytes ourselves (also works inside an Electron asar) and keep the instance's exports.
    const wasmBytes = await readFile(scriptPath.replace(/\.js$/, '.wasm'));
    const { default: factory } = (await import('espeak-ng')) as unknown as { default: EspeakFactory };
    let exports: EspeakExports | undefined;
    this.module = await factory({
      noInitialRun: true,
      print: (line: string) => this.sink?.stdout.push(line),
      printErr: (line: string) => this.sink?.stderr.push(line),
      // The default sets process.exitCode to the program's exit status: not in our process.
      quit: (_status: number, toThrow: unknown) => {
        throw toThrow;
      },
      instantiateWasm(imports: unknown, receive: (instance: WasmInstance) => void) {
        wasm.instantiate(wasmBytes, imports).then(({ instance }) => {
          exports = instance.exports as EspeakExports;
          receive(instance);
        });
        return {};
      },
    });
    if (!exports) throw new Error('espeak-ng did not expose its WASM exports');
    this.exports = exports;
    this.saved = this.snapshot();
  }

  /**
   * Runs the program once with `args` (argv without the program name). Synchronous: a sentence
   * takes ~10-30 ms, during which this thread does nothing else (a worker thread would need its own
   * bundle entry, which the backend build does not have yet).
   */
  run(args: string[], request: EspeakRunRequest = {}): EspeakRunResult {
    if (this.broken) throw this.broken;
    if (this.dirty) this.restore();
    const { FS } = this.module;
    for (const [path, content] of Object.entries(request.inputs ?? {})) FS.writeFile(path, content);
    const stdout: string[] = [];
    const stderr: string[] = [];
    this.sink = { stdout, stderr };
    this.dirty = true;
    const stack = this.exports.stackSave();
    let exitCode: number;
    try {
      const argv = this.writeArgv(['espeak-ng', ...args]);
      exitCode = this.module._main(args.length + 1, argv);
    } catch (error) {
      if (!isExitStatus(error)) {
        // An abort() inside WASM leaves the runtime unusable: say so on every later call.
        this.broken = new Error(`espeak-ng crashed: ${String(error)}`, { cause: error });
        this.onCrash?.();
        throw this.broken;
      }
      exitCode = error.status;
    } finally {
      // exit() unwinds through JS without restoring the stack pointer, a WASM global the snapshot does not cover.
      this.exports.stackRestore(stack);
      this.sink = undefined;
    }
    const outputs = new Map<string, Uint8Array>();
    for (const path of request.outputs ?? []) {
      if (FS.analyzePath(path).exists) {
        outputs.set(path, FS.readFile(path));
        FS.unlink(path);
      }
    }
    for (const path of Object.keys(request.inputs ?? {})) if (FS.analyzePath(path).exists) FS.unlink(path);
    this.closeLeftoverStreams();
    // Put the memory back while the thread is idle, not on the next sentence's clock.
    setImmediate(() => {
      if (this.dirty && !this.sink) this.restore();
    });
    return { exitCode, stdout, stderr, outputs };
  }

  private writeArgv(argv: string[]): number {
    const encoded = argv.map((arg) => Buffer.from(`${arg}\0`, 'utf8'));
    const pointers = encoded.map((bytes) => {
      const pointer = this.exports.malloc(bytes.length);
      new Uint8Array(this.exports.memory.buffer).set(bytes, pointer);
      return pointer;
    });
    const array = this.exports.malloc(4 * (pointers.length + 1));
    const words = new Uint32Array(this.exports.memory.buffer, array, pointers.length + 1);
    words.set([...pointers, 0]);
    return array;
  }

  /**
   * Everything but the embedded espeak-ng-data files (~18 MB the program only reads, and MEMFS
   * serves straight out of WASM memory): the program's globals, heap and stack.
   */
  private snapshot(): SavedRange[] {
    const memory = new Uint8Array(this.exports.memory.buffer);
    const files = embeddedFileRanges(this.module, memory);
    const ranges: SavedRange[] = [];
    let start = 0;
    for (const file of files) {
      if (file.start > start) ranges.push({ start, bytes: memory.slice(start, file.start) });
      start = Math.max(start, file.end);
    }
    if (start < memory.length) ranges.push({ start, bytes: memory.slice(start) });
    return ranges;
  }

  private restore(): void {
    const memory = new Uint8Array(this.exports.memory.buffer);
    for (const range of this.saved) memory.set(range.bytes, range.start);
    this.dirty = false;
  }

  private closeLeftoverStreams(): void {
    const { FS } = this.module;
    for (const stream of FS.streams) {
      if (stream && stream.fd > 2) FS.close(stream);
    }
  }
}

/** The content ranges of the files `--embed-file` put in WASM memory, sorted: a table of (name, length, content) triples. */
function embeddedFileRanges(module: EspeakModule, memory: Uint8Array): Array<{ start: number; end: number }> {
  const words = new DataView(memory.buffer);
  const ranges: Array<{ start: number; end: number }> = [];
  let entry = module.___emscripten_embedded_file_data;
  while (entry > 0 && entry + 12 <= memory.length && words.getUint32(entry, true) !== 0) {
    const length = words.getUint32(entry + 4, true);
    const content = words.getUint32(entry + 8, true);
    if (content + length <= memory.length) ranges.push({ start: content, end: content + length });
    entry += 12;
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function isExitStatus(error: unknown): error is { name: 'ExitStatus'; status: number } {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ExitStatus';
}

let shared: Promise<EspeakWasmRuntime> | undefined;

/** The process-wide espeak-ng, instantiated on first use; the engine and the Piper phonemizer share it. */
export function loadEspeakRuntime(): Promise<EspeakWasmRuntime> {
  if (!shared) {
    const loading = EspeakWasmRuntime.create().then((runtime) => {
      // A crashed instance is dropped: the next caller gets a fresh one.
      runtime.onCrash = () => {
        if (shared === loading) shared = undefined;
      };
      return runtime;
    });
    // A failed load is not cached either.
    loading.catch(() => {
      if (shared === loading) shared = undefined;
    });
    shared = loading;
  }
  return shared;
}
