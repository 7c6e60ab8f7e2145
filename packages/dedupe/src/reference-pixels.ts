/**
 * A copy of the reference frame's pixels, so a candidate duplicate can be compared with it in
 * the same colour space the output is judged in. Only the fidelity check reads it; the buffer is
 * reused while the frame size stays the same.
 */
export class ReferencePixels {
  private data = new Uint8Array(0);
  private length = 0;

  keep(pixels: Uint8Array, bytes: number): void {
    if (this.data.length < bytes) this.data = new Uint8Array(bytes);
    this.data.set(pixels.subarray(0, bytes));
    this.length = bytes;
  }

  /** The kept pixels (valid until the next `keep()`). */
  get data8(): Uint8Array {
    return this.data.subarray(0, this.length);
  }

  /** The exact PSNR of `pixels` against the kept frame (for frames `within` turned down). */
  psnr(pixels: Uint8Array): number {
    return psnr8(this.data8, pixels);
  }

  clear(): void {
    this.data = new Uint8Array(0);
    this.length = 0;
  }

  /**
   * Whether `pixels` are within `minPsnr` dB of the kept frame (PSNR over every sample, 255 peak).
   * Stops as soon as the squared error passes what that PSNR allows.
   */
  within(pixels: Uint8Array, minPsnr: number): boolean {
    if (minPsnr <= 0) return true;
    const n = this.length;
    if (n === 0 || pixels.length < n) return false;
    const budget = (255 * 255 * n) / 10 ** (minPsnr / 10);
    const ref = this.data;
    // Whole 32-bit words where both buffers allow it, so equal runs (lossless held frames) cost
    // one compare per 4 samples; the error is checked against the budget once per chunk.
    const aligned = pixels.byteOffset % 4 === 0;
    const words = aligned ? n >> 2 : 0;
    const a32 = aligned ? new Uint32Array(pixels.buffer, pixels.byteOffset, words) : new Uint32Array(0);
    const b32 = new Uint32Array(ref.buffer, 0, words);
    let sse = 0;
    for (let start = 0; start < words; start += 1024) {
      const end = Math.min(words, start + 1024);
      for (let w = start; w < end; w++) {
        const u = a32[w];
        const v = b32[w];
        if (u === v) continue;
        let d = (u & 255) - (v & 255);
        sse += d * d;
        d = ((u >>> 8) & 255) - ((v >>> 8) & 255);
        sse += d * d;
        d = ((u >>> 16) & 255) - ((v >>> 16) & 255);
        sse += d * d;
        d = (u >>> 24) - (v >>> 24);
        sse += d * d;
      }
      if (sse > budget) return false;
    }
    for (let k = words * 4; k < n; k++) {
      const d = pixels[k] - ref[k];
      sse += d * d;
    }
    return sse <= budget;
  }
}

/** PSNR over every sample of two 8-bit buffers of the same length (Infinity when equal). */
export function psnr8(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let sse = 0;
  for (let k = 0; k < n; k++) {
    const d = a[k] - b[k];
    sse += d * d;
  }
  return sse === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / sse);
}
