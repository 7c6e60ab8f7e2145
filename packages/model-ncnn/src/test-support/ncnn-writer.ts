import { float32ToFloat16Bits } from './half.js';
import { NCNN_WEIGHT_TAGS } from '../ncnn-weight-reader.js';

/** Builds small ncnn models for tests: `.param` text and `.bin` bytes written the way ncnn2mem/pnnx write them. */
export class NcnnModelWriter {
  private readonly lines: string[] = [];
  private readonly blobs = new Set<string>();
  private readonly chunks: Uint8Array[] = [];

  layer(type: string, name: string, bottoms: string[], tops: string[], params: Record<number, number | number[]> = {}): this {
    const kv = Object.entries(params).map(([k, v]) => (Array.isArray(v) ? `${-23300 - Number(k)}=${v.length},${v.map(fmt).join(',')}` : `${k}=${fmt(v)}`));
    this.lines.push([type, name, bottoms.length, tops.length, ...bottoms, ...tops, ...kv].join(' '));
    [...bottoms, ...tops].forEach((b) => this.blobs.add(b));
    return this;
  }

  /** An fp16 flagged buffer from raw half bits (subnormals, -0 and all). */
  halfBits(bits: readonly number[]): this {
    const half = new Uint16Array(Math.ceil((bits.length * 2) / 4) * 2);
    half.set(bits);
    return this.push(u32(NCNN_WEIGHT_TAGS.fp16), new Uint8Array(half.buffer));
  }

  /** A flagged (type 0) buffer in one of ncnn's storage forms. */
  weights(values: readonly number[], storage: 'fp32' | 'fp32Scaled' | 'fp16' | 'int8' | 'table' = 'fp32'): this {
    const n = values.length;
    if (storage === 'fp32') return this.push(u32(0), f32(values));
    if (storage === 'fp32Scaled') return this.push(u32(NCNN_WEIGHT_TAGS.fp32Scaled), f32(values));
    if (storage === 'fp16') {
      const half = new Uint16Array(Math.ceil((n * 2) / 4) * 2);
      values.forEach((v, i) => (half[i] = float32ToFloat16Bits(v)));
      return this.push(u32(NCNN_WEIGHT_TAGS.fp16), new Uint8Array(half.buffer));
    }
    if (storage === 'int8') {
      const bytes = new Int8Array(Math.ceil(n / 4) * 4);
      values.forEach((v, i) => (bytes[i] = v));
      return this.push(u32(NCNN_WEIGHT_TAGS.int8), new Uint8Array(bytes.buffer));
    }
    // Quantisation table: any non-zero flag bytes other than the tags above; values index a 256-entry table.
    const table = [...new Set(values)];
    if (table.length > 256) throw new Error('too many distinct values for a table');
    const indices = new Uint8Array(Math.ceil(n / 4) * 4);
    values.forEach((v, i) => (indices[i] = table.indexOf(v)));
    const full = Array.from({ length: 256 }, (_v, i) => table[i] ?? 0);
    return this.push(new Uint8Array([1, 0, 0, 0]), f32(full), indices);
  }

  /** Raw fp32 (type 1): biases, slopes, scales, MemoryData. */
  raw(values: readonly number[]): this {
    return this.push(f32(values));
  }

  /** Appends arbitrary bytes (for broken-file tests). */
  bytes(data: Uint8Array): this {
    return this.push(data);
  }

  param(magic = 7767517): string {
    return [String(magic), `${this.lines.length} ${this.blobs.size}`, ...this.lines].join('\n') + '\n';
  }

  bin(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }

  private push(...parts: Uint8Array[]): this {
    this.chunks.push(...parts);
    return this;
  }
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toExponential(6));
const u32 = (v: number) => new Uint8Array(new Uint32Array([v]).buffer);
const f32 = (v: readonly number[]) => new Uint8Array(new Float32Array(v).buffer);
