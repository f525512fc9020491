// Just enough of the protobuf wire format and the ONNX schema (onnx/onnx.proto) to write a small
// model by hand: onnxruntime-node runs models but cannot build them, and no Piper voice can be
// downloaded in the test environment.

type Field = Uint8Array;

function varint(value: bigint): number[] {
  let rest = BigInt.asUintN(64, value); // negative int64 values are ten-byte two's complement
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return bytes;
}

function key(field: number, wireType: 0 | 2): number[] {
  // field numbers above 15 take two bytes of key: varint handles it
  return varint(BigInt((field << 3) | wireType));
}

function int(field: number, value: number | bigint): Field {
  return Uint8Array.from([...key(field, 0), ...varint(BigInt(value))]);
}

function bytes(field: number, content: Uint8Array): Field {
  return Uint8Array.from([...key(field, 2), ...varint(BigInt(content.length)), ...content]);
}

function text(field: number, value: string): Field {
  return bytes(field, new TextEncoder().encode(value));
}

function message(...fields: Field[]): Uint8Array {
  return Buffer.concat(fields);
}

const DATA_TYPE = { float: 1, int64: 7 } as const;
export type ElementType = keyof typeof DATA_TYPE;

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian). */
export function tensor(name: string, type: ElementType, dims: number[], values: number[]): Uint8Array {
  const raw = type === 'float' ? new Uint8Array(Float32Array.from(values).buffer) : new Uint8Array(BigInt64Array.from(values, BigInt).buffer);
  return message(...dims.map((dim) => int(1, dim)), int(2, DATA_TYPE[type]), text(8, name), bytes(9, raw));
}

/** ValueInfoProto { name = 1, type = 2: TypeProto { tensor_type = 1: { elem_type = 1, shape = 2 } } }; a string dim is symbolic. */
export function valueInfo(name: string, type: ElementType, dims: Array<number | string>): Uint8Array {
  const shape = message(...dims.map((dim) => bytes(1, typeof dim === 'number' ? int(1, dim) : text(2, dim))));
  return message(text(1, name), bytes(2, bytes(1, message(int(1, DATA_TYPE[type]), bytes(2, shape)))));
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5 (AttributeProto { name = 1, i = 3, type = 20: INT = 2 }). */
export function node(opType: string, inputs: string[], outputs: string[], intAttributes: Record<string, number> = {}): Uint8Array {
  const attributes = Object.entries(intAttributes).map(([name, value]) => bytes(5, message(text(1, name), int(3, value), int(20, 2))));
  return message(...inputs.map((input) => text(1, input)), ...outputs.map((output) => text(2, output)), text(3, `${opType}_${outputs[0]}`), text(4, opType), ...attributes);
}

/** ModelProto { ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 } with GraphProto { node = 1, name = 2, initializer = 5, input = 11, output = 12 }. */
export function model(graph: { nodes: Uint8Array[]; initializers: Uint8Array[]; inputs: Uint8Array[]; outputs: Uint8Array[] }, opset = 13): Uint8Array {
  const graphProto = message(
    ...graph.nodes.map((item) => bytes(1, item)),
    text(2, 'tiny'),
    ...graph.initializers.map((item) => bytes(5, item)),
    ...graph.inputs.map((item) => bytes(11, item)),
    ...graph.outputs.map((item) => bytes(12, item)),
  );
  return message(int(1, 8), text(2, 'parley-tests'), bytes(7, graphProto), bytes(8, message(text(1, ''), int(2, opset))));
}
