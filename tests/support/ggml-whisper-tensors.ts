/**
 * The tensors of a whisper.cpp ggml model file: names, dimensions and element types exactly as
 * whisper.cpp's `whisper_model_load` expects them (it looks each one up by name and checks its
 * shape and byte size), in the order `models/convert-pt-to-ggml.py` writes them (PyTorch's
 * state_dict order; the loader itself does not care about order).
 */

/** The hparams block of the file, in file order. */
export interface GgmlWhisperShape {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioHead: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextHead: number;
  nTextLayer: number;
  nMels: number;
}

/** ggml element types the converter writes: 0 = f32, 1 = f16. */
export type GgmlTensorType = 0 | 1;

export interface GgmlTensorSpec {
  name: string;
  /** ggml order: ne[0] is the fastest-moving dimension (the reverse of the numpy shape). */
  ne: number[];
  type: GgmlTensorType;
}

const F32 = 0;
const F16 = 1;

export function ggmlWhisperTensors(shape: GgmlWhisperShape): GgmlTensorSpec[] {
  const tensors: GgmlTensorSpec[] = [];
  const add = (name: string, ne: number[], type: GgmlTensorType) => tensors.push({ name, ne, type });
  const audio = shape.nAudioState;
  const text = shape.nTextState;

  add('encoder.positional_embedding', [audio, shape.nAudioCtx], F32);
  add('encoder.conv1.weight', [3, shape.nMels, audio], F16);
  // The converter reshapes the conv biases from [n] to [n, 1].
  add('encoder.conv1.bias', [1, audio], F32);
  add('encoder.conv2.weight', [3, audio, audio], F16);
  add('encoder.conv2.bias', [1, audio], F32);
  for (let layer = 0; layer < shape.nAudioLayer; layer++) {
    addBlock(add, `encoder.blocks.${layer}`, audio, false);
  }
  add('encoder.ln_post.weight', [audio], F32);
  add('encoder.ln_post.bias', [audio], F32);

  add('decoder.positional_embedding', [text, shape.nTextCtx], F32);
  add('decoder.token_embedding.weight', [text, shape.nVocab], F16);
  for (let layer = 0; layer < shape.nTextLayer; layer++) {
    addBlock(add, `decoder.blocks.${layer}`, text, true);
  }
  add('decoder.ln.weight', [text], F32);
  add('decoder.ln.bias', [text], F32);
  return tensors;
}

/** One ResidualAttentionBlock: self-attention, (decoder only) cross-attention, then the MLP. */
function addBlock(add: (name: string, ne: number[], type: GgmlTensorType) => void, prefix: string, state: number, cross: boolean): void {
  const attention = (name: string) => {
    add(`${prefix}.${name}.query.weight`, [state, state], F16);
    add(`${prefix}.${name}.query.bias`, [state], F32);
    add(`${prefix}.${name}.key.weight`, [state, state], F16);
    add(`${prefix}.${name}.value.weight`, [state, state], F16);
    add(`${prefix}.${name}.value.bias`, [state], F32);
    add(`${prefix}.${name}.out.weight`, [state, state], F16);
    add(`${prefix}.${name}.out.bias`, [state], F32);
    add(`${prefix}.${name}_ln.weight`, [state], F32);
    add(`${prefix}.${name}_ln.bias`, [state], F32);
  };
  attention('attn');
  if (cross) attention('cross_attn');
  add(`${prefix}.mlp.0.weight`, [state, 4 * state], F16);
  add(`${prefix}.mlp.0.bias`, [4 * state], F32);
  add(`${prefix}.mlp.2.weight`, [4 * state, state], F16);
  add(`${prefix}.mlp.2.bias`, [state], F32);
  add(`${prefix}.mlp_ln.weight`, [state], F32);
  add(`${prefix}.mlp_ln.bias`, [state], F32);
}

export function elementCount(tensor: GgmlTensorSpec): number {
  return tensor.ne.reduce((product, n) => product * n, 1);
}
