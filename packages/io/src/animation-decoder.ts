import { loadSharp } from './sharp-module.js';
import { cancelledError, frameBytes, UpframeError, type PixelLayout } from '@upframe/core';
import { hasTransparency } from '@upframe/core/internal';
import { startTool } from './child-process.js';
import type { ToolBinary } from './ffmpeg-binaries.js';
import { passthroughTimingArgs } from './ffmpeg-version.js';
import { FrameChunker } from './frame-chunker.js';
import type { AnimationProbe } from './animation-probe.js';

/** Decoded pixels held at once while reading a GIF/WebP: frames are decoded this many bytes at a time. */
const CHUNK_BYTES = 64 * 1024 * 1024;

/**
 * Every frame of an animation, fully composited (disposal and blending applied), 8-bit, in order.
 * GIF and WebP go through sharp (ffmpeg 5.1 cannot decode animated WebP), a few frames per call;
 * APNG through ffmpeg (libvips reads only its default image).
 */
export async function* decodeAnimation(file: string, probe: AnimationProbe, layout: PixelLayout, ffmpeg: ToolBinary | undefined, signal?: AbortSignal): AsyncGenerator<Buffer> {
  if (probe.format === 'apng') {
    if (!ffmpeg) throw new UpframeError('INTERNAL', `decoding the APNG ${file} needs ffmpeg, and none was given`, { file });
    yield* decodeWithFfmpeg(file, probe, layout, ffmpeg, signal);
    return;
  }
  const frameSize = frameBytes(probe.width, probe.height, layout);
  const perCall = Math.max(1, Math.floor(CHUNK_BYTES / frameSize));
  for (let page = 0; page < probe.pts.length; page += perCall) {
    if (signal?.aborted) throw cancelledError(signal.reason);
    const pages = Math.min(perCall, probe.pts.length - page);
    let data: Buffer;
    try {
      const pipeline = loadSharp()(file, { page, pages, failOn: 'error' }).toColourspace('srgb');
      data = await (layout === 'rgba' ? pipeline.ensureAlpha() : pipeline.removeAlpha()).raw({ depth: 'uchar' }).toBuffer();
    } catch (error) {
      throw new UpframeError('INPUT_INVALID', `cannot decode frames ${page + 1}–${page + pages} of ${file}: ${(error as Error).message}`, { file, cause: error });
    }
    if (data.length !== pages * frameSize) {
      throw new UpframeError('INPUT_INVALID', `${file}: frames ${page + 1}–${page + pages} decoded to ${data.length} bytes, not ${pages} frames of ${probe.width}x${probe.height}`, { file });
    }
    for (let i = 0; i < pages; i++) yield data.subarray(i * frameSize, (i + 1) * frameSize);
  }
}

async function* decodeWithFfmpeg(file: string, probe: AnimationProbe, layout: PixelLayout, ffmpeg: ToolBinary, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const args = [
    '-nostdin', '-hide_banner', '-nostats', '-loglevel', 'error',
    '-i', file, '-map', '0:v:0',
    ...passthroughTimingArgs(ffmpeg.version),
    '-f', 'rawvideo', '-pix_fmt', layout === 'rgba' ? 'rgba' : 'rgb24', 'pipe:1',
  ];
  const tool = startTool(ffmpeg.path, args, {}, 'decode');
  const onAbort = () => void tool.kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunker = new FrameChunker(frameBytes(probe.width, probe.height, layout));
  try {
    for await (const chunk of tool.child.stdout!) yield* chunker.push(chunk as Buffer);
    const status = await tool.exited;
    if (signal?.aborted) throw cancelledError(signal.reason);
    if (status.spawnError) throw new UpframeError('FFMPEG_NOT_FOUND', `cannot run ffmpeg (${ffmpeg.path}): ${status.spawnError.message}`, { cause: status.spawnError });
    if (status.code !== 0) throw new UpframeError('FFMPEG_FAILED', `ffmpeg could not decode the APNG ${file}:\n${tool.stderrTail()}`, { file });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await tool.kill();
  }
}

/**
 * The first frame (0-based) with a pixel that is not fully opaque, or undefined when every pixel of
 * every frame is opaque: transparency is read from the pixels, since GIF, WebP and PNG store an
 * alpha channel (or a transparent palette entry) whether or not any pixel uses it.
 */
export async function firstTransparentFrame(file: string, probe: AnimationProbe, ffmpeg: ToolBinary | undefined, signal?: AbortSignal): Promise<number | undefined> {
  if (!probe.formatHasAlpha) return undefined;
  let index = 0;
  for await (const frame of decodeAnimation(file, probe, 'rgba', ffmpeg, signal)) {
    if (hasTransparency(frame)) return index;
    index++;
  }
  return undefined;
}
