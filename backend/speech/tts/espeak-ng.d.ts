// The npm espeak-ng package ships no types; espeak-wasm-runtime.ts describes what it uses of it.
declare module 'espeak-ng' {
  const factory: (options: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}
