import type { PixelLayout, Rational } from '@upframe/core';

/**
 * A minimal NUT muxer for one rawvideo stream: just enough of the format for ffmpeg to read frames
 * with exact presentation timestamps from a pipe.
 *
 * Why NUT: raw frames piped as `-f rawvideo` carry no timestamps, so ffmpeg would invent a constant
 * rate and variable-frame-rate video would come out retimed. NUT is ffmpeg's own simple container,
 * demuxed identically by 4.x through 7.x, with an arbitrary time base and a pts on every frame.
 * Layout written (see libavformat/nutdec.c):
 *   file id string, main header, stream header, info packet (r_frame_rate), then per frame:
 *   syncpoint (global pts), frame header (frame code 0: keyframe, coded stream id, full pts,
 *   size, header checksum), raw pixels.
 * A syncpoint precedes every frame because frames are larger than NUT's maximum syncpoint distance.
 */

const FILE_ID = Buffer.from('nut/multimedia container\0', 'latin1');
const STARTCODE = {
  main: 0x4e4d7a561f5f04adn,
  stream: 0x4e5311405bf2f9dbn,
  syncpoint: 0x4e4be4adeeca4569n,
  info: 0x4e49ab68b596ba78n,
} as const;
const FLAG_KEY = 1;
const FLAG_CODED_PTS = 8;
const FLAG_STREAM_ID = 16;
const FLAG_SIZE_MSB = 32;
const FLAG_CHECKSUM = 64;
const FRAME_FLAGS = FLAG_KEY | FLAG_CODED_PTS | FLAG_STREAM_ID | FLAG_SIZE_MSB | FLAG_CHECKSUM;
const MSB_PTS_SHIFT = 7;
/** rawvideo fourccs ffmpeg maps to rgb24, rgba, rgb48le and rgba64le (NUT's MKTAG('R','G','B',48), MKTAG('R','B','A',64)). */
const FOURCC: Record<PixelLayout, string> = { rgb24: 'RGB\x18', rgba: 'RGBA', rgb48: 'RGB0', rgba64: 'RBA@' };

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** NUT's checksum: CRC-32, polynomial 0x04C11DB7, MSB first, initial value 0, no final xor. */
export function nutCrc(bytes: Uint8Array, initial = 0): number {
  let crc = initial >>> 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]) >>> 0;
  return crc;
}

/** NUT unsigned varint: 7 bits per byte, most significant first, high bit = more follows. */
export function nutVarint(value: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`NUT varint needs a non-negative safe integer, got ${value}`);
  const bytes = [value % 128];
  let rest = Math.floor(value / 128);
  while (rest > 0) {
    bytes.unshift((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  return bytes;
}

function signedVarint(value: number): number[] {
  return nutVarint(value > 0 ? 2 * value - 1 : -2 * value);
}

function text(value: string): number[] {
  const bytes = Buffer.from(value, 'utf8');
  return [...nutVarint(bytes.length), ...bytes];
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

function packet(startcode: bigint, payload: number[]): Buffer {
  const code = Buffer.alloc(8);
  code.writeBigUInt64BE(startcode);
  const body = Buffer.from(payload);
  const forward = Buffer.from(nutVarint(body.length + 4));
  const parts: Buffer[] = [code, forward];
  if (body.length + 4 > 4096) parts.push(u32(nutCrc(Buffer.concat([code, forward]))));
  parts.push(body, u32(nutCrc(body)));
  return Buffer.concat(parts);
}

export interface NutStreamParams {
  readonly width: number;
  readonly height: number;
  readonly layout: PixelLayout;
  /** Time base of every pts written; must be reduced (num and den coprime). */
  readonly timeBase: Rational;
  /**
   * Rate ffmpeg assumes when it needs a frame duration (the last frame's, above all). Frames still
   * keep their own pts; this only decides how long the final frame lasts.
   */
  readonly frameRate?: Rational;
  readonly sampleAspectRatio?: Rational;
}

export class NutWriter {
  constructor(private readonly params: NutStreamParams) {
    const { width, height, timeBase } = params;
    if (!(width > 0 && height > 0)) throw new RangeError(`invalid frame size ${width}x${height}`);
    if (!(timeBase.num > 0 && timeBase.den > 0)) throw new RangeError(`invalid time base ${timeBase.num}/${timeBase.den}`);
  }

  /** Everything before the first frame. */
  header(): Buffer {
    const { width, height, layout, timeBase, frameRate, sampleAspectRatio } = this.params;
    const main = [
      ...nutVarint(3), // version
      ...nutVarint(1), // stream count
      ...nutVarint(65536), // max distance between syncpoints
      ...nutVarint(1), ...nutVarint(timeBase.num), ...nutVarint(timeBase.den),
      // One frame-code run covering all 255 codes; only code 0 (size_lsb 0) is used.
      ...nutVarint(FRAME_FLAGS), ...nutVarint(6), ...signedVarint(0), ...nutVarint(1), ...nutVarint(0), ...nutVarint(0), ...nutVarint(0), ...nutVarint(255),
      ...nutVarint(0), // no elision headers
    ];
    const fourcc = Buffer.from(FOURCC[layout], 'latin1');
    const sar = sampleAspectRatio ?? { num: 0, den: 0 };
    const stream = [
      ...nutVarint(0), ...nutVarint(0), // stream id, class video
      ...nutVarint(4), ...fourcc,
      ...nutVarint(0), // time base id
      ...nutVarint(MSB_PTS_SHIFT),
      ...nutVarint(2 ** 30), // max pts distance (unused: every frame has a checksum)
      ...nutVarint(0), ...nutVarint(0), ...nutVarint(0), // decode delay, flags, no extradata
      ...nutVarint(width), ...nutVarint(height), ...nutVarint(sar.num), ...nutVarint(sar.den), ...nutVarint(0),
    ];
    const parts = [FILE_ID, packet(STARTCODE.main, main), packet(STARTCODE.stream, stream)];
    if (frameRate && frameRate.num > 0 && frameRate.den > 0 && frameRate.num < 1000 * frameRate.den) {
      const info = [...nutVarint(1), ...signedVarint(0), ...nutVarint(0), ...nutVarint(0), ...nutVarint(1), ...text('r_frame_rate'), ...signedVarint(-1), ...text(`${frameRate.num}/${frameRate.den}`)];
      parts.push(packet(STARTCODE.info, info));
    }
    return Buffer.concat(parts);
  }

  /** Syncpoint and frame header for one frame of `size` bytes at `pts`; the pixels follow it. */
  frameHeader(pts: number, size: number): Buffer {
    const syncpoint = packet(STARTCODE.syncpoint, [...nutVarint(pts), ...nutVarint(0)]);
    const header = Buffer.from([0, ...nutVarint(0), ...nutVarint(pts + 2 ** MSB_PTS_SHIFT), ...nutVarint(size)]);
    return Buffer.concat([syncpoint, header, u32(nutCrc(header))]);
  }
}
