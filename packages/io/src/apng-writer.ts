import { open, readFile } from 'node:fs/promises';
import { UpframeError } from '@upframe/core';
import { isPng } from './apng-chunks.js';

/**
 * Assembles an APNG from PNG files of equal size and colour type, each frame lasting its own delay.
 * Done here rather than by ffmpeg's apng muxer: that one takes delays from timestamps in its input
 * stream's time base (1/25 s for images), so 50 ms became 40 ms. Every frame replaces the whole
 * canvas (dispose none, blend source), so what is written is exactly the frames given.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** PNG's CRC-32 (ISO 3309) over a chunk's type and data. */
export function pngCrc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
}

function chunksOf(file: string, bytes: Buffer): Chunk[] {
  if (!isPng(bytes)) throw new UpframeError('INTERNAL', `${file} is not a PNG`, { file });
  const chunks: Chunk[] = [];
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    chunks.push({ type: bytes.toString('latin1', at + 4, at + 8), data: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(pngCrc(body), body.length + 4);
  return out;
}

/** A delay as APNG's 16-bit fraction of a second: exact milliseconds where they fit. */
export function apngDelay(ms: number): { num: number; den: number } {
  if (ms <= 0xffff) return { num: Math.max(0, Math.round(ms)), den: 1000 };
  if (ms / 10 <= 0xffff) return { num: Math.round(ms / 10), den: 100 };
  return { num: Math.min(0xffff, Math.round(ms / 1000)), den: 1 };
}

/** Write `files` (one PNG per frame) to `output` as an APNG playing `plays` times (0 = forever). */
export async function writeApng(output: string, files: readonly string[], delaysMs: readonly number[], plays: number): Promise<void> {
  const handle = await open(output, 'wx');
  try {
    let sequence = 0;
    let header: Buffer | undefined;
    for (const [i, file] of files.entries()) {
      const chunks = chunksOf(file, await readFile(file));
      const ihdr = chunks.find((c) => c.type === 'IHDR')?.data;
      if (!ihdr) throw new UpframeError('INTERNAL', `${file} has no IHDR chunk`, { file });
      if (header && !header.equals(ihdr)) throw new UpframeError('INTERNAL', `frame ${i + 1} (${file}) differs in size or pixel format from the first frame`, { file });
      const fctl = Buffer.alloc(26);
      const delay = apngDelay(delaysMs[i]);
      fctl.writeUInt32BE(sequence++, 0);
      ihdr.copy(fctl, 4, 0, 8); // width, height
      fctl.writeUInt16BE(delay.num, 20);
      fctl.writeUInt16BE(delay.den, 22);
      // x/y offsets 0, dispose_op 0 (none), blend_op 0 (source): each frame replaces the canvas.
      const out: Buffer[] = [];
      if (!header) {
        header = ihdr;
        const actl = Buffer.alloc(8);
        actl.writeUInt32BE(files.length, 0);
        actl.writeUInt32BE(plays, 4);
        out.push(bytesOfSignature(), chunk('IHDR', ihdr), chunk('acTL', actl));
        // Colour chunks (sRGB, gAMA, iCCP, PLTE, tRNS…) of the first frame apply to all; they precede the image data.
        for (const c of chunks) if (!['IHDR', 'IDAT', 'IEND'].includes(c.type) && isBeforeData(chunks, c)) out.push(chunk(c.type, c.data));
        out.push(chunk('fcTL', fctl));
        for (const c of chunks) if (c.type === 'IDAT') out.push(chunk('IDAT', c.data));
      } else {
        out.push(chunk('fcTL', fctl));
        for (const c of chunks) {
          if (c.type !== 'IDAT') continue;
          const seq = Buffer.alloc(4);
          seq.writeUInt32BE(sequence++, 0);
          out.push(chunk('fdAT', Buffer.concat([seq, c.data])));
        }
      }
      await handle.write(Buffer.concat(out));
    }
    await handle.write(chunk('IEND', Buffer.alloc(0)));
  } finally {
    await handle.close();
  }
}

function bytesOfSignature(): Buffer {
  return Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
}

function isBeforeData(chunks: readonly Chunk[], c: Chunk): boolean {
  return chunks.indexOf(c) < chunks.findIndex((x) => x.type === 'IDAT');
}
