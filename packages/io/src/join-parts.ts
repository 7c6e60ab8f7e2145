import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PartRecord, StreamOrigin } from './part-journal.js';

/**
 * The concat demuxer's list for the parts. Each part's `duration` is the distance from its first
 * pts to the next part's first pts, so the demuxer's shift (start of the part in the joined
 * timeline minus the part's own start time) is zero for every part: each frame keeps the exact pts
 * it was encoded with, variable frame rate included. The last part's duration comes from the file.
 */
export function concatList(dir: string, parts: readonly PartRecord[], origin: StreamOrigin): string {
  const seconds = (pts: number) => ((pts * origin.timeBase.num) / origin.timeBase.den).toFixed(6);
  const lines = ['ffconcat version 1.0'];
  parts.forEach((part, k) => {
    lines.push(`file ${quote(join(dir, part.file))}`);
    const next = parts[k + 1];
    if (next) lines.push(`duration ${seconds(next.firstPts - part.firstPts)}`);
  });
  return `${lines.join('\n')}\n`;
}

/** ffconcat quoting: single quotes, with each embedded quote closed, escaped and reopened. */
function quote(path: string): string {
  return `'${path.replace(/'/g, "'\\''")}'`;
}

export interface JoinCommandInput {
  /** The concat list (see {@link concatList}). */
  readonly list: string;
  readonly output: string;
  readonly videoOffsetSeconds: number;
  readonly original?: string;
  readonly streamArgs: readonly string[];
  readonly videoTags: Readonly<Record<string, string>>;
  readonly movFlags: readonly string[];
  readonly alphaVideo?: boolean;
}

/**
 * One ffmpeg run that stream-copies the joined parts (no re-encoding) and maps audio, subtitles,
 * chapters and metadata from the original, exactly as the single-pass encode does.
 */
export function joinCommand(input: JoinCommandInput): string[] {
  const offset = Math.abs(input.videoOffsetSeconds) >= 1e-6 ? ['-itsoffset', input.videoOffsetSeconds.toFixed(6)] : [];
  const originalInput = input.original ? ['-i', input.original] : [];
  const metadata = input.original ? ['-map_metadata', '1', '-map_chapters', '1'] : [];
  const tags = Object.entries(input.videoTags).flatMap(([k, v]) => ['-metadata:s:v:0', `${k}=${v}`]);
  const alphaTag = input.alphaVideo ? ['-metadata:s:v:0', 'alpha_mode=1'] : [];
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error',
    ...offset, '-f', 'concat', '-safe', '0', '-i', input.list,
    ...originalInput,
    '-map', '0:v:0', '-c:v', 'copy',
    ...input.streamArgs, ...metadata, ...tags, ...alphaTag,
    '-max_muxing_queue_size', '4096', ...input.movFlags, '-y', input.output,
  ];
}

export async function writeConcatList(file: string, dir: string, parts: readonly PartRecord[], origin: StreamOrigin): Promise<void> {
  await writeFile(file, concatList(dir, parts, origin));
}
