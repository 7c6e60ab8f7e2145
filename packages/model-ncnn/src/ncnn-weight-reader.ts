import { UpframeError } from '@upframe/core';
import { float16BitsToNumber } from '@upframe/models';

/** Flag words that open a type-0 weight buffer in an ncnn `.bin` (modelbin.cpp). */
export const NCNN_WEIGHT_TAGS = { fp16: 0x01306b47, int8: 0x000d4b38, fp32Scaled: 0x0002c056 } as const;

/** How a buffer was stored: `table` is the 256-entry float table with uint8 indices. */
export const NCNN_STORAGES = ['fp32', 'fp16', 'int8', 'table'] as const;
export type NcnnStorage = (typeof NCNN_STORAGES)[number];

export interface NcnnWeights {
  /** The values as float32 (int8 buffers hold the raw integers; scale them with the layer's scales). */
  readonly data: Float32Array;
  readonly storage: NcnnStorage;
  /** The stored half bits, for an fp16 graph. */
  readonly fp16?: Uint16Array;
}

const align4 = (n: number) => (n + 3) & ~3;

/**
 * Reads weight buffers from an ncnn `.bin` in the order layers load them. `load(n, 0)` reads a
 * flagged buffer (fp32, fp16, int8 or table-quantised), `load(n, 1)` raw fp32 (biases, slopes).
 */
export class NcnnWeightReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file = 'model.bin',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  load(count: number, type: 0 | 1, what: string): NcnnWeights {
    if (!Number.isInteger(count) || count < 0) throw this.invalid(`${what}: element count ${count} is not valid`);
    if (type === 1) return { data: this.floats(count, what), storage: 'fp32' };
    const tag = this.u32(what);
    if (tag === NCNN_WEIGHT_TAGS.fp16) {
      const bits = new Uint16Array(count);
      const start = this.take(align4(count * 2), what);
      for (let i = 0; i < count; i++) bits[i] = this.view.getUint16(start + i * 2, true);
      return { data: Float32Array.from(bits, float16BitsToNumber), storage: 'fp16', fp16: bits };
    }
    if (tag === NCNN_WEIGHT_TAGS.int8) {
      const start = this.take(align4(count), what);
      return { data: Float32Array.from(new Int8Array(this.bytes.buffer, this.bytes.byteOffset + start, count)), storage: 'int8' };
    }
    if (tag === NCNN_WEIGHT_TAGS.fp32Scaled) return { data: this.floats(count, what), storage: 'fp32' };
    // Any other non-zero flag bytes mean a quantisation table follows (ncnn sums the four bytes).
    const flagSum = (tag & 0xff) + ((tag >>> 8) & 0xff) + ((tag >>> 16) & 0xff) + (tag >>> 24);
    if (flagSum === 0) return { data: this.floats(count, what), storage: 'fp32' };
    const table = this.floats(256, `${what} (quantisation table)`);
    const start = this.take(align4(count), `${what} (table indices)`);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = table[this.bytes[start + i]!]!;
    return { data, storage: 'table' };
  }

  /** Throws unless every byte of the file was read. */
  finish(): void {
    const left = this.bytes.byteLength - this.offset;
    if (left !== 0) {
      throw this.invalid(
        `${left} bytes are left after the last layer's weights (read ${this.offset} of ${this.bytes.byteLength}); the .bin does not belong to this .param`,
      );
    }
  }

  private floats(count: number, what: string): Float32Array {
    const start = this.take(count * 4, what);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat32(start + i * 4, true);
    return out;
  }

  private u32(what: string): number {
    const start = this.take(4, `${what} (flag word)`);
    return this.view.getUint32(start, true);
  }

  private take(n: number, what: string): number {
    if (this.offset + n > this.bytes.byteLength) {
      throw this.invalid(`${what}: needs ${n} bytes at offset ${this.offset} but the file ends at ${this.bytes.byteLength} (truncated?)`);
    }
    const start = this.offset;
    this.offset += n;
    return start;
  }

  private invalid(why: string): UpframeError {
    return new UpframeError('MODEL_INVALID', `${this.file}: not a valid ncnn .bin for its .param: ${why}`, {
      file: this.file,
      hint: 'Use the .bin that was shipped with this .param (same name, same folder), and check the download is complete.',
    });
  }
}
