import type { Image } from '@upframe/core';
import { UpframeError } from '@upframe/core';
import { listModels } from '@upframe/models';
import sharp from 'sharp';

export interface FrameRequest {
  readonly width: number;
  readonly height: number;
  readonly count: number;
  /** Pictures to cut frames from; defaults to {@link catalogPictures}. */
  readonly pictures?: readonly string[];
}

/** Real pictures the installed model packages ship: each fixture and each sample result. */
export function catalogPictures(): string[] {
  const files = listModels().flatMap((m) => [m.paths?.fixture, m.paths?.sampleResult]);
  return [...new Set(files.filter((f): f is string => f !== undefined))].sort();
}

/**
 * Where frame `index` is cut from a `sw`×`sh` picture: the largest window with the target's
 * aspect ratio, shrunk by up to 40% and moved across the picture as `index` grows, so no two
 * nearby frames are the same (a backend cannot profit from repeated input).
 */
export function cropWindow(index: number, sw: number, sh: number, width: number, height: number): { left: number; top: number; width: number; height: number } {
  const aspect = width / height;
  const fullW = Math.min(sw, Math.round(sh * aspect));
  const fullH = Math.min(sh, Math.round(fullW / aspect));
  const shrink = 1 - 0.4 * (((index * 7) % 10) / 10);
  const w = Math.max(1, Math.round(fullW * shrink));
  const h = Math.max(1, Math.round(fullH * shrink));
  const fx = ((index * 37) % 100) / 100;
  const fy = ((index * 61) % 100) / 100;
  return { left: Math.round((sw - w) * fx), top: Math.round((sh - h) * fy), width: w, height: h };
}

/** `count` RGB frames of `width`×`height`, crops of real pictures resized with sharp (Lanczos). */
export async function benchFrames(request: FrameRequest): Promise<{ frames: Image[]; pictures: string[] }> {
  const pictures = [...(request.pictures ?? catalogPictures())];
  if (pictures.length === 0) {
    throw new UpframeError('MODEL_NOT_FOUND', 'no model package with pictures is installed, so there is nothing to cut bench frames from', {
      hint: 'Install a catalog model package, e.g. npm i @upscalerjs/esrgan-slim.',
    });
  }
  const sizes = await Promise.all(pictures.map(async (p) => sharp(p).metadata()));
  const frames: Image[] = [];
  for (let i = 0; i < request.count; i++) {
    const k = i % pictures.length;
    const window = cropWindow(Math.floor(i / pictures.length) + k, sizes[k]!.width!, sizes[k]!.height!, request.width, request.height);
    const { data, info } = await sharp(pictures[k]!)
      .removeAlpha()
      .toColourspace('srgb')
      .extract(window)
      .resize(request.width, request.height, { fit: 'fill', kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    frames.push({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  }
  return { frames, pictures };
}
