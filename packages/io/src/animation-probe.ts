import { open, readFile } from 'node:fs/promises';
import type { Metadata } from 'sharp';
import { loadSharp } from './sharp-module.js';
import { UpframeError } from '@upframe/core';
import { isPng, readApngControl } from './apng-chunks.js';

/** Animated image formats: read frame by frame and written back with their delays and plays. */
export const ANIMATION_FORMATS = ['gif', 'webp', 'apng'] as const;
export type AnimationFormat = (typeof ANIMATION_FORMATS)[number];

/** Time base of animation timestamps: delays are stored in (at best) milliseconds. */
export const ANIMATION_TIME_BASE = { num: 1, den: 1000 } as const;

/** What an animated image holds, before any pixel is decoded. Timing in milliseconds. */
export interface AnimationProbe {
  readonly format: AnimationFormat;
  readonly width: number;
  readonly height: number;
  /** Each frame's presentation time: the sum of the delays before it. */
  readonly pts: readonly number[];
  /** Each frame's own delay. */
  readonly durations: readonly number[];
  /** Times the animation plays, 0 = forever. */
  readonly plays: number;
  /** The file's pixel format has an alpha channel (its pixels may still all be opaque). */
  readonly formatHasAlpha: boolean;
  /** Bits per sample as stored (APNG may be 16; frames are decoded to 8). */
  readonly bitDepth: number;
  /** Why the file looks cut short (no GIF trailer, a WebP shorter than its RIFF size), when it does. */
  readonly truncated?: string;
}

/** What an animated source puts in `SourceInfo.details` for the sinks. */
export interface AnimationDetails {
  readonly animationFormat: string;
  /** Times the animation plays, 0 = forever. */
  readonly plays: number;
  /** The last frame's delay in the source's time base (a video sink needs it for the last frame). */
  readonly lastFrameDuration: number;
}

export function isAnimationDetails(details: unknown): details is AnimationDetails {
  const d = details as Partial<AnimationDetails> | undefined;
  return typeof d?.animationFormat === 'string' && typeof d.plays === 'number' && typeof d.lastFrameDuration === 'number';
}

/** The format a file's first bytes announce, if it is one that can animate. */
async function sniff(file: string): Promise<AnimationFormat | undefined> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes.toString('latin1', 0, 4) === 'GIF8') return 'gif';
    if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
    if (isPng(bytes)) return 'apng';
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Presentation times from delays: cumulative, rounded once each so rounding never accumulates. */
export function timingFromDelays(delaysSeconds: readonly number[]): { pts: number[]; durations: number[] } {
  const ends: number[] = [];
  let total = 0;
  for (const d of delaysSeconds) ends.push(Math.round((total += d) * 1000));
  const pts = [0, ...ends.slice(0, -1)];
  return { pts, durations: ends.map((end, i) => end - pts[i]) };
}

/**
 * The animation in `file`, sniffed from its content (not its name): every GIF (one frame or many),
 * a WebP with more than one frame, a PNG with an `acTL` chunk and more than one frame. Undefined
 * for anything else, still WebP and PNG included (those stay single images).
 */
export async function probeAnimation(file: string): Promise<AnimationProbe | undefined> {
  const format = await sniff(file);
  if (format === 'apng') return probeApng(file);
  if (!format) return undefined;
  let meta: Metadata;
  try {
    meta = await loadSharp()(file, { animated: true }).metadata();
  } catch (error) {
    throw new UpframeError('INPUT_INVALID', `${file} is not a ${format.toUpperCase()} sharp can read: ${(error as Error).message}`, { file, cause: error });
  }
  const pages = meta.pages ?? 1;
  if (format === 'webp' && pages < 2) return undefined;
  const delays = Array.from({ length: pages }, (_, i) => (meta.delay?.[i] ?? 100) / 1000);
  return {
    format,
    width: meta.width,
    height: meta.pageHeight ?? meta.height,
    ...timingFromDelays(delays),
    plays: meta.loop ?? 0,
    formatHasAlpha: meta.hasAlpha ?? false,
    bitDepth: 8,
    ...(await truncation(file, format)),
  };
}

/**
 * Decoders read a cut GIF or WebP up to its last whole frame without complaint, so the frames lost
 * after it would vanish unnoticed: a GIF ends with a trailer byte (0x3B), a WebP's RIFF header
 * gives its length.
 */
async function truncation(file: string, format: 'gif' | 'webp'): Promise<{ truncated?: string }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (format === 'gif') {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      return last[0] === 0x3b ? {} : { truncated: 'it ends without the GIF trailer' };
    }
    const riff = Buffer.alloc(4);
    await handle.read(riff, 0, 4, 4);
    const expected = riff.readUInt32LE(0) + 8;
    return size >= expected ? {} : { truncated: `it holds ${size} bytes of the ${expected} its RIFF header announces` };
  } finally {
    await handle.close();
  }
}

async function probeApng(file: string): Promise<AnimationProbe | undefined> {
  const control = readApngControl(await readFile(file));
  if (!control || control.frames < 2) return undefined;
  if (control.delays.length !== control.frames) {
    throw new UpframeError('INPUT_INVALID', `${file}: the APNG announces ${control.frames} frames but holds ${control.delays.length} frame controls (fcTL); the file is damaged`, { file });
  }
  const header = await loadSharp()(file).metadata().catch((error: unknown) => {
    throw new UpframeError('INPUT_INVALID', `${file} is not a PNG sharp can read: ${(error as Error).message}`, { file, cause: error });
  });
  return {
    format: 'apng',
    width: header.width,
    height: header.height,
    ...timingFromDelays(control.delays.map((d) => d.num / d.den)),
    plays: control.plays,
    // A tRNS chunk can make any PNG colour type transparent: the pixels decide (see animation-decoder.ts).
    formatHasAlpha: true,
    bitDepth: header.depth === 'ushort' ? 16 : 8,
  };
}
