import { copyFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { loadSharp } from './sharp-module.js';
import { UpframeError } from '@upframe/core';
import type { AnimationFormat } from './animation-probe.js';
import { writeApng } from './apng-writer.js';
import { explainWriteError } from './write-errors.js';

/** Output extensions that ask for an animation, when the input is one. */
export const ANIMATION_EXTENSIONS: Readonly<Record<string, AnimationFormat>> = { gif: 'gif', webp: 'webp', png: 'apng', apng: 'apng' };

export function animationFormatOf(path: string): AnimationFormat | undefined {
  return ANIMATION_EXTENSIONS[extname(path).slice(1).toLowerCase()];
}

/** Largest delay each format stores, in milliseconds (GIF: 16-bit centiseconds; WebP: 24-bit ms). */
const MAX_DELAY_MS: Readonly<Record<AnimationFormat, number>> = { gif: 655350, webp: 0xffffff, apng: 0xffff * 1000 };

/**
 * Encode frames (one PNG file each, in order) as an animated `format` at `output`: GIF and WebP
 * through sharp (libvips: cgif, libwebp), APNG assembled from the PNGs themselves. WebP is
 * lossless. A single frame is written as a still image of the same format.
 *
 * Returns the frames the file holds: the GIF and WebP encoders merge a frame identical to the one
 * before into it (adding its delay, so the timing is unchanged), which the caller must report.
 */
export async function encodeAnimation(format: AnimationFormat, files: readonly string[], delaysMs: readonly number[], plays: number, output: string, reportAs: string): Promise<number> {
  const tooLong = delaysMs.findIndex((d) => d > MAX_DELAY_MS[format]);
  if (tooLong >= 0) {
    throw new UpframeError('USAGE', `cannot write ${reportAs}: frame ${tooLong + 1} lasts ${delaysMs[tooLong]} ms, longer than ${format.toUpperCase()} can store (${MAX_DELAY_MS[format]} ms)`, {
      file: reportAs,
      hint: 'Write a video (.mkv, .webm, .mp4) or a folder of frames instead.',
    });
  }
  try {
    if (format === 'apng') {
      if (files.length === 1) await copyFile(files[0], output);
      else await writeApng(output, files, delaysMs, plays);
      return files.length;
    }
    const input = files.length === 1 ? loadSharp()(files[0]) : loadSharp()([...files], { join: { animated: true } });
    const timing = files.length === 1 ? {} : { delay: [...delaysMs], loop: plays };
    const pipeline = format === 'gif' ? input.gif({ ...timing }) : input.webp({ lossless: true, ...timing });
    await pipeline.toFile(output);
    return (await loadSharp()(output, { animated: true }).metadata()).pages ?? 1;
  } catch (error) {
    throw await explainWriteError(error, reportAs);
  }
}
