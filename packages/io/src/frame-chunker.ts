/**
 * Cuts a byte stream (ffmpeg's rawvideo on stdout) into frames of exactly `frameSize` bytes.
 *
 * Each frame is filled in place in its own preallocated buffer: one copy from the pipe chunk, no
 * concatenation. When a whole frame sits inside one chunk it is returned as a view of that chunk
 * (no copy at all); pipe chunks are fresh allocations that nothing else reuses.
 */
export class FrameChunker {
  private frame: Buffer | undefined;
  private filled = 0;

  constructor(readonly frameSize: number) {
    if (!Number.isInteger(frameSize) || frameSize <= 0) throw new RangeError(`frame size must be a positive integer, got ${frameSize}`);
  }

  /** Bytes of an incomplete frame held back; non-zero at end of stream means the stream was cut. */
  get pending(): number {
    return this.filled;
  }

  push(chunk: Uint8Array): Buffer[] {
    const out: Buffer[] = [];
    const size = this.frameSize;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.filled === 0 && chunk.length - offset >= size) {
        out.push(Buffer.from(chunk.buffer, chunk.byteOffset + offset, size));
        offset += size;
        continue;
      }
      this.frame ??= Buffer.allocUnsafe(size);
      const take = Math.min(size - this.filled, chunk.length - offset);
      this.frame.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === size) {
        out.push(this.frame);
        this.frame = undefined;
        this.filled = 0;
      }
    }
    return out;
  }
}
