import ffmpeg from 'fluent-ffmpeg';
import type { FfprobeData } from 'fluent-ffmpeg';
import type { ProbeFormat, ProbeResult, ProbeStream } from './ffprobe.js';

/** How a fluent-ffmpeg probe ended: parsed data, a failed start, or ffprobe's own failure. */
export type FluentProbeOutcome =
  | { readonly data: FfprobeData }
  | { readonly spawnError: Error }
  | { readonly exitError: Error };

/**
 * Run `ffprobe -show_streams -show_format <options> <file>` through fluent-ffmpeg.
 *
 * fluent-ffmpeg 2.1.3 keeps the binary path module-wide (`setFfprobePath` writes a shared cache),
 * but with the path cached `ffprobe()` spawns synchronously: setting it right before the call, in
 * the same tick, makes each probe use its own binary even when several run at once. The probe
 * cannot be cancelled (fluent keeps the child to itself); it reads headers only and ends quickly.
 */
export function fluentProbe(ffprobePath: string, file: string, options: readonly string[]): Promise<FluentProbeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: FluentProbeOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    try {
      ffmpeg(file)
        .setFfprobePath(ffprobePath)
        .ffprobe([...options], (error: unknown, data: FfprobeData) => {
          if (!error) return settle({ data });
          const e = error instanceof Error ? error : new Error(String(error));
          // Spawn failures are Node errors (ENOENT, EACCES); ffprobe's own exit is a plain Error.
          const errno = e as NodeJS.ErrnoException;
          settle(typeof errno.code === 'string' || errno.syscall?.startsWith('spawn') ? { spawnError: e } : { exitError: e });
        });
    } catch (error) {
      settle({ spawnError: error instanceof Error ? error : new Error(String(error)) });
    }
  });
}

/** Keys our types declare as strings (fluent turns every unsigned decimal into a number). */
const STRING_KEYS = new Set([
  'codec_type', 'codec_name', 'pix_fmt', 'bits_per_raw_sample', 'sample_aspect_ratio', 'r_frame_rate', 'avg_frame_rate',
  'time_base', 'start_time', 'duration', 'nb_frames', 'color_range', 'color_space', 'color_transfer', 'color_primaries', 'field_order', 'format_name',
]);
const NUMBER_KEYS = new Set(['index', 'width', 'height', 'start_pts', 'nb_streams']);
/** Keys of side-data sections, which fluent flattens into the stream. */
const SIDE_DATA_KEYS = ['side_data_type', 'displaymatrix', 'rotation'];

/** One `[STREAM]`/`[FORMAT]` block as ffprobe's JSON writer would give it, for the fields this package reads. */
function normaliseBlock(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    // The text writer prints unknown optional fields (N/A, unknown colours); the JSON writer leaves them out.
    if (value === undefined || value === 'N/A' || SIDE_DATA_KEYS.includes(key)) continue;
    if (key.startsWith('color_') && value === 'unknown') continue;
    if (STRING_KEYS.has(key)) out[key] = String(value);
    else if (NUMBER_KEYS.has(key)) {
      const n = Number(value);
      if (Number.isFinite(n)) out[key] = n;
    } else if (key === 'tags' && value && typeof value === 'object') {
      out.tags = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
    } else if (key === 'disposition' && value && typeof value === 'object') {
      out.disposition = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Number(v)]));
    } else out[key] = value;
  }
  // Rotation is the only side data read here; it lives in the display matrix (negative: a string).
  const rotation = Number(raw.rotation);
  if (raw.rotation !== undefined && Number.isFinite(rotation)) out.side_data_list = [{ side_data_type: 'Display Matrix', rotation }];
  return out;
}

/**
 * Turn fluent-ffmpeg's parse of ffprobe's text output into the JSON-shaped `ProbeResult`, or say why
 * it cannot be trusted. ffprobe's text writer does not escape values, so a metadata value with line
 * breaks can split a stream block; stream indices must then run 0..n-1 and match `nb_streams`.
 */
export function normaliseFluentProbe(data: FfprobeData): ProbeResult | { readonly broken: string } {
  const blocks = (data.streams ?? []).map((s) => normaliseBlock(s));
  const streams = blocks.filter(hasStreamIndex);
  const format = normaliseBlock((data.format ?? {}) as Record<string, unknown>) as ProbeFormat;
  const count = format.nb_streams;
  if (streams.length !== blocks.length || streams.some((s, i) => s.index !== i) || (count !== undefined && count !== streams.length)) {
    return { broken: `ffprobe's stream list could not be parsed (${blocks.length} stream blocks for ${count ?? '?'} streams; a metadata value spanning lines?)` };
  }
  return { streams, format };
}

/** `normaliseBlock` gives every field its declared type; `index` is the one a stream cannot lack. */
function hasStreamIndex(block: Record<string, unknown>): block is Record<string, unknown> & ProbeStream {
  return typeof block.index === 'number';
}
