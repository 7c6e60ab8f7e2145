import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { UpframeError, type SourceKind } from '@upframe/core';
import { animationFormatOf } from './animation-encoder.js';
import { probeAnimation } from './animation-probe.js';
import { VIDEO_CONTAINERS } from './encoder-args.js';
import { resolveFfmpegBinaries, type ResolveBinariesOptions } from './ffmpeg-binaries.js';
import { probeMedia } from './ffprobe.js';
import { readImageHeader } from './image-codec.js';
import { assertNotSpecialFile } from './input-file.js';
import { IMAGE_EXTENSIONS, imageFormatOf } from './image-formats.js';
import { pickVideoStream } from './video-probe.js';

/** ffprobe format names of single-image demuxers (`png_pipe`, `image2`, …). */
const IMAGE_DEMUXER = /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/;

/**
 * What kind of input a path is: a directory is a frame sequence; a GIF, an animated WebP or an APNG
 * (told by content, whatever the name) is an animation; an image extension is an image; anything
 * else is probed with ffprobe (a still image under another name is an image when sharp can read
 * it; anything with a video stream is a video).
 */
export async function detectInputKind(path: string, binaries: ResolveBinariesOptions = {}): Promise<SourceKind> {
  const file = resolve(path);
  const stats = await stat(file).catch((error: unknown) => {
    throw new UpframeError('INPUT_NOT_FOUND', `input ${file} does not exist`, { file, cause: error });
  });
  if (stats.isDirectory()) return 'sequence';
  assertNotSpecialFile(file, stats);
  if (stats.size === 0) throw new UpframeError('INPUT_INVALID', `input ${file} is empty (0 bytes)`, { file });
  if (await probeAnimation(file)) return 'animation';
  if (imageFormatOf(file)) return 'image';
  const { ffprobe } = await resolveFfmpegBinaries(binaries);
  const probe = await probeMedia(ffprobe, file);
  const video = pickVideoStream(probe);
  if (!video) throw new UpframeError('INPUT_UNSUPPORTED', `${file} has no video stream or image`, { file });
  if (IMAGE_DEMUXER.test(probe.format.format_name ?? '')) {
    const readable = await readImageHeader(file).then(() => true, () => false);
    if (readable) return 'image';
  }
  return 'video';
}

/**
 * What kind of output a path asks for: a video extension (.mp4 .mkv .webm .mov) → video; for an
 * animated input, .gif .webp .png .apng → animation (every frame; .png is APNG); an image
 * extension → image; an existing directory, a trailing separator or no extension → sequence.
 */
export function outputKindFor(path: string, inputKind?: SourceKind): SourceKind {
  if (path.endsWith('/') || path.endsWith(sep)) return 'sequence';
  const ext = extname(path).slice(1).toLowerCase();
  if ((VIDEO_CONTAINERS as readonly string[]).includes(ext)) return 'video';
  if (inputKind === 'animation' && animationFormatOf(path)) return 'animation';
  if (IMAGE_EXTENSIONS[ext]) return 'image';
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // Does not exist yet.
  }
  if (isDir || ext === '') return 'sequence';
  const allowed = [...VIDEO_CONTAINERS, ...Object.keys(IMAGE_EXTENSIONS)].map((e) => `.${e}`).join(', ');
  throw new UpframeError('USAGE', `cannot tell what to write to "${path}": unknown extension ".${ext}"; use one of ${allowed}, or a directory for a frame sequence`, { file: path });
}
