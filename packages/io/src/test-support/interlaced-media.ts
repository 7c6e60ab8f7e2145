import { join } from 'node:path';
import { ffmpeg } from './fixtures.js';

export type InterlacedKind = 'tff' | 'bff' | 'unflagged' | 'combed-progressive' | 'progressive';

/**
 * 1 s of real fields: testsrc2 with a white bar sweeping across at 50 fps, woven into 25
 * interlaced frames (interlace filter; the bar moves 8 px between fields, so it combs), coded as
 * interlaced H.264 so the stream stores field_order tt or bb. `unflagged` holds the woven frames
 * losslessly in NUT, whose field_order is "unknown" (only idet can tell); `combed-progressive`
 * holds them coded as progressive H.264 (a capture re-encoded without +ildct).
 */
export async function makeInterlacedClip(dir: string, kind: InterlacedKind): Promise<string> {
  const out = join(dir, `${kind}.${kind === 'unflagged' ? 'nut' : 'mp4'}`);
  const rate = kind === 'progressive' ? 25 : 50;
  const inputs = ['-f', 'lavfi', '-i', `testsrc2=size=128x96:rate=${rate}:duration=1`, '-f', 'lavfi', '-i', `color=white:size=24x96:rate=${rate}:duration=1`];
  const scene = "[0][1]overlay=x='mod(t*400,128)':y=0";
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-bf', '0'];
  const woven = (scan: 'tff' | 'bff', extra = '') => ['-filter_complex', `${scene},interlace=scan=${scan}${extra}`];
  switch (kind) {
    case 'tff':
      await ffmpeg([...inputs, ...woven('tff'), ...x264, '-flags', '+ilme+ildct', '-top', '1', out]);
      break;
    case 'bff':
      await ffmpeg([...inputs, ...woven('bff'), ...x264, '-flags', '+ilme+ildct', '-x264-params', 'bff=1', out]);
      break;
    case 'unflagged':
      await ffmpeg([...inputs, ...woven('tff', ',setfield=prog'), '-c:v', 'ffv1', '-pix_fmt', 'yuv420p', out]);
      break;
    case 'combed-progressive':
      await ffmpeg([...inputs, ...woven('tff', ',setfield=prog'), ...x264, out]);
      break;
    case 'progressive':
      await ffmpeg([...inputs, '-filter_complex', scene, ...x264, out]);
      break;
  }
  return out;
}

/**
 * Combing of an rgb24 frame: how much more neighbouring lines differ than lines two apart,
 * mean |row(y) − row(y+s)| / mean |row(y) − row(y+2s)|, where s is the height of one field line
 * (1 at the source size, the scale factor after upscaling). Woven fields of moving content make
 * neighbouring lines (other field, other time) differ more than same-field lines: above 1. A
 * progressive or deinterlaced frame is smooth from line to line: well below 1.
 */
export function combing(data: Uint8Array, width: number, height: number, scale = 1): number {
  const stride = width * 3;
  let near = 0;
  let far = 0;
  for (let y = 0; y + 2 * scale < height; y++) {
    for (let x = 0; x < stride; x++) {
      const v = data[y * stride + x];
      near += Math.abs(v - data[(y + scale) * stride + x]);
      far += Math.abs(v - data[(y + 2 * scale) * stride + x]);
    }
  }
  return near / Math.max(far, 1);
}
