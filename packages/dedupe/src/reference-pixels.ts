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
    let sse = 0;
    // Checked once per row-sized chunk, not per sample: the check costs more than the sum.
    for (let start = 0; start < n; start += 4096) {
      const end = Math.min(n, start + 4096);
      for (let k = start; k < end; k++) {
        const d = pixels[k] - ref[k];
        sse += d * d;
      }
      if (sse > budget) return false;
    }
    return true;
  }
}
