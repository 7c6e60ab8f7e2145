import { UpframeError } from '@upframe/core';
import { float16BitsToNumber } from './float16.js';
import type { WeightGroup, WeightSpec, WeightTensor } from './layers-model-types.js';

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };

function storedDtype(spec: WeightSpec): string {
  return spec.quantization?.dtype ?? spec.dtype;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Decodes `count` stored values at `offset` of `bytes` into float32. */
function decode(spec: WeightSpec, bytes: Uint8Array, offset: number, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  const out = new Float32Array(count);
  const q = spec.quantization;
  const scale = q?.scale ?? 1;
  const min = q?.min ?? 0;
  switch (storedDtype(spec)) {
    case 'float32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'int32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      break;
    case 'float16':
      for (let i = 0; i < count; i++) out[i] = float16BitsToNumber(view.getUint16(i * 2, true));
      break;
    case 'uint16':
      for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true) * scale + min;
      break;
    case 'uint8':
    case 'bool':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i) * scale + min;
      break;
  }
  return out;
}

/**
 * Decodes one weights-manifest group whose shards were concatenated into `bytes`.
 * Throws `MODEL_INVALID` naming `file` (and the shards) when the data is too short or a dtype is unknown.
 */
export function decodeWeightGroup(group: WeightGroup, bytes: Uint8Array, file: string): WeightTensor[] {
  const tensors: WeightTensor[] = [];
  let offset = 0;
  for (const spec of group.weights) {
    const size = BYTES[storedDtype(spec)];
    if (size === undefined) {
      throw new UpframeError('MODEL_INVALID', `${file}: weight "${spec.name}" has unsupported dtype "${storedDtype(spec)}"`, { file });
    }
    const count = elementCount(spec.shape);
    const length = count * size;
    if (offset + length > bytes.byteLength) {
      throw new UpframeError(
        'MODEL_INVALID',
        `${file}: weight shards ${group.paths.join(', ')} hold ${bytes.byteLength} bytes, but the manifest needs more (weight "${spec.name}" ends at byte ${offset + length})`,
        { file, hint: 'A weight file is truncated or belongs to another model; reinstall the model package.' },
      );
    }
    tensors.push({ name: spec.name, shape: [...spec.shape], data: decode(spec, bytes, offset, count) });
    offset += length;
  }
  return tensors;
}
