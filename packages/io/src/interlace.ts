import { UpframeError } from '@upframe/core';
import { runTool } from './child-process.js';
import type { ToolBinary } from './ffmpeg-binaries.js';

/** `--deinterlace`: `auto` deinterlaces what is detected as interlaced, `frame` one frame per frame, `field` one per field. */
export const DEINTERLACE_MODES = ['auto', 'off', 'frame', 'field'] as const;
export type DeinterlaceMode = (typeof DEINTERLACE_MODES)[number];

export function parseDeinterlaceMode(raw: unknown): DeinterlaceMode {
  if ((DEINTERLACE_MODES as readonly unknown[]).includes(raw)) return raw as DeinterlaceMode;
  throw new UpframeError('USAGE', `unknown --deinterlace "${String(raw)}"; allowed: ${DEINTERLACE_MODES.join(', ')}`);
}

export type FieldParity = 'tff' | 'bff';

/** What is known about a stream's scan: from its `field_order`, or from ffmpeg's `idet` filter. */
export interface ScanType {
  readonly interlaced: boolean;
  /** The field shown first; undefined when each frame's own flag has to say (`parity=auto`). */
  readonly parity?: FieldParity;
  readonly how: string;
}

/**
 * ffprobe's `field_order`: tt/bb are coded and shown in the same order; tb is coded top first but
 * shown bottom first, bt the reverse. The order shown is what a deinterlacer needs.
 */
export function scanFromFieldOrder(fieldOrder: string | undefined): ScanType | undefined {
  switch (fieldOrder) {
    case 'tt':
    case 'bt':
      return { interlaced: true, parity: 'tff', how: `field_order ${fieldOrder}` };
    case 'bb':
    case 'tb':
      return { interlaced: true, parity: 'bff', how: `field_order ${fieldOrder}` };
    case 'progressive':
      return { interlaced: false, how: 'field_order progressive' };
    default:
      return undefined;
  }
}

/** Frames `idet` looks at when the container does not say: enough for a stable verdict, ~1 s at 1080p. */
export const IDET_FRAMES = 100;

/** The verdict of idet's multi-frame counts (`Multi frame detection: TFF: a BFF: b Progressive: c Undetermined: d`). */
export function scanFromIdet(stderr: string): ScanType {
  const m = /Multi frame detection:\s*TFF:\s*(\d+)\s*BFF:\s*(\d+)\s*Progressive:\s*(\d+)/.exec(stderr);
  if (!m) return { interlaced: false, how: 'idet gave no verdict' };
  const [tff, bff, progressive] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const counts = `idet on the first frames: ${tff} tff, ${bff} bff, ${progressive} progressive`;
  // Interlaced only when combing is clearly the rule, not a few frames of fine horizontal detail.
  const interlaced = tff + bff >= 5 && tff + bff > progressive;
  return { interlaced, parity: interlaced ? (tff >= bff ? 'tff' : 'bff') : undefined, how: counts };
}

/** Run `idet` over the first frames of one stream. */
export async function detectWithIdet(ffmpeg: ToolBinary, file: string, streamIndex: number, signal?: AbortSignal): Promise<ScanType> {
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'info', '-i', file, '-map', `0:${streamIndex}`, '-an', '-sn', '-dn', '-vf', 'idet', '-frames:v', String(IDET_FRAMES), '-f', 'null', '-'];
  const result = await runTool(ffmpeg.path, args, { timeoutMs: 60_000, signal });
  return scanFromIdet(result.stderr);
}

/**
 * The bwdif filter for a mode: `send_frame` keeps one frame per frame (count and pts stay),
 * `send_field` gives one per field at twice the rate. A stream flagged interlaced leaves the
 * parity, and which frames to touch, to each frame's own flags (mixed content stays sharp); one
 * detected by idet or forced has no reliable flags, so every frame is deinterlaced.
 */
export function deinterlaceFilter(mode: 'frame' | 'field', scan: ScanType | undefined): string {
  // In field mode every frame must give two, so no frame may be passed through as progressive.
  const flagged = mode === 'frame' && scan?.how.startsWith('field_order') && scan.interlaced;
  const parity = flagged ? 'auto' : (scan?.parity ?? 'auto');
  return `bwdif=mode=${mode === 'field' ? 'send_field' : 'send_frame'}:parity=${parity}:deint=${flagged ? 'interlaced' : 'all'}`;
}

/**
 * Timing of a field-rate stream (`--deinterlace field`): the time base halves so every field's pts
 * is a whole number, each frame at pts p lasting d becomes fields at 2p and 2p + d (bwdif's own
 * arithmetic), each lasting d in the new units.
 */
export function perFieldTiming(
  timeBase: { num: number; den: number },
  pts: readonly number[],
  durations: readonly number[],
): { timeBase: { num: number; den: number }; pts: number[]; durations: number[] } {
  const fieldPts = pts.flatMap((p, i) => [2 * p, 2 * p + (durations[i] ?? 0)]);
  const fieldDurations = durations.flatMap((d) => [d, d]);
  return { timeBase: { num: timeBase.num, den: timeBase.den * 2 }, pts: fieldPts, durations: fieldDurations };
}
