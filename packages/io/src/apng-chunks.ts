/**
 * The animation control chunks of an APNG, read straight from the PNG chunk list: sharp (libvips)
 * decodes only the default image, and ffprobe reports no per-frame delays we could trust to the
 * millisecond. `acTL` gives the frame count and plays; each `fcTL` gives its frame's delay as a fraction of a second.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface ApngControl {
  /** Frames in the animation (`acTL.num_frames`). */
  readonly frames: number;
  /** Times to play, 0 = forever (`acTL.num_plays`). */
  readonly plays: number;
  /** Each frame's delay in seconds, as `fcTL` stores it (num/den; den 0 means 100). */
  readonly delays: readonly { readonly num: number; readonly den: number }[];
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.equals(bytes.subarray(0, 8));
}

/** The APNG animation control of a PNG file's bytes, or undefined for a still PNG (no `acTL` before the image data). */
export function readApngControl(bytes: Buffer): ApngControl | undefined {
  if (!isPng(bytes)) return undefined;
  let frames: number | undefined;
  let plays = 0;
  const delays: { num: number; den: number }[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = at + 8;
    if (data + length > bytes.length) break;
    if (type === 'acTL' && length >= 8) {
      frames = bytes.readUInt32BE(data);
      plays = bytes.readUInt32BE(data + 4);
    } else if (type === 'fcTL' && length >= 26) {
      const den = bytes.readUInt16BE(data + 22);
      delays.push({ num: bytes.readUInt16BE(data + 20), den: den === 0 ? 100 : den });
    } else if (type === 'IDAT' && frames === undefined) {
      return undefined;
    } else if (type === 'IEND') break;
    at = data + length + 4;
  }
  return frames === undefined ? undefined : { frames, plays, delays };
}
