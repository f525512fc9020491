/**
 * The AudioWorkletGlobalScope, typed: TypeScript's DOM library does not describe it, and declaring
 * its globals (sampleRate, registerProcessor) for the whole renderer would be wrong everywhere else.
 * Only the worklet files import this.
 */
export interface WorkletProcessor {
  readonly port: MessagePort;
  process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}

interface WorkletScope {
  sampleRate: number;
  AudioWorkletProcessor: new (options: AudioWorkletNodeOptions) => { readonly port: MessagePort };
  registerProcessor(name: string, processor: new (options: AudioWorkletNodeOptions) => WorkletProcessor): void;
}

export const workletScope = globalThis as unknown as WorkletScope;
