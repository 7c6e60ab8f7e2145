import { extname } from 'node:path';

/** A frame file name split around its number: `shot_0042.png` → prefix `shot_`, digits `0042`, ext `png`. */
export interface NumberedName {
  readonly name: string;
  readonly prefix: string;
  readonly digits: string;
  readonly number: number;
  readonly ext: string;
}

/** The last run of digits before the extension is the frame number (`v2_frame_0001.png` → 1). */
export function parseNumberedName(name: string): NumberedName | undefined {
  const match = /^(.*?)(\d+)\.([^.]+)$/.exec(name);
  if (!match) return undefined;
  return { name, prefix: match[1], digits: match[2], number: Number(match[2]), ext: match[3] };
}

/**
 * Output name of a frame: the source file's stem with the new extension, so numbering and pattern
 * survive (`frame_0001.png` → `frame_0001.webp`); frames without a file name (from a video) are
 * numbered from 1 as `frame_000001.<ext>`.
 */
export function outputNameFor(index: number, ext: string, sourceName?: string): string {
  if (sourceName) {
    const stem = sourceName.slice(0, sourceName.length - extname(sourceName).length);
    return `${stem}.${ext}`;
  }
  return `frame_${String(index + 1).padStart(6, '0')}.${ext}`;
}
