import { statSync } from 'node:fs';
import { UpframeError } from '@upframe/core';
import { runTool } from './child-process.js';
import type { ToolBinary } from './ffmpeg-binaries.js';
import { fluentProbe, normaliseFluentProbe } from './fluent-probe.js';

/**
 * The parts of `ffprobe -show_streams -show_format -of json` this package reads. `probeMedia` gets
 * them through fluent-ffmpeg and normalises its parse of the text output into this shape.
 */
export interface ProbeStream {
  readonly index: number;
  readonly codec_type?: string;
  readonly codec_name?: string;
  readonly width?: number;
  readonly height?: number;
  readonly pix_fmt?: string;
  readonly bits_per_raw_sample?: string;
  readonly sample_aspect_ratio?: string;
  readonly r_frame_rate?: string;
  readonly avg_frame_rate?: string;
  readonly time_base?: string;
  readonly start_pts?: number;
  readonly start_time?: string;
  readonly duration?: string;
  readonly nb_frames?: string;
  readonly color_range?: string;
  readonly color_space?: string;
  readonly color_transfer?: string;
  readonly color_primaries?: string;
  /** tt, bb, tb, bt (interlaced), progressive, or unknown. */
  readonly field_order?: string;
  readonly disposition?: Readonly<Record<string, number>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly side_data_list?: readonly { readonly side_data_type?: string; readonly rotation?: number }[];
}

export interface ProbeFormat {
  readonly format_name?: string;
  readonly start_time?: string;
  readonly duration?: string;
  readonly nb_streams?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ProbeResult {
  readonly streams: readonly ProbeStream[];
  readonly format: ProbeFormat;
}

/** Presentation timestamps of one stream's packets, in stream time base, sorted. */
export interface PacketTimes {
  /** Sorted pts of the packets that will be presented (packets flagged discard are left out). */
  readonly pts: number[];
  /** Duration of the packet with the largest pts, when the container stores one. */
  readonly lastDuration?: number;
  /** Packets the demuxer returned, including discarded ones. */
  readonly total: number;
  readonly discarded: number;
  /** Packets without any timestamp (raw elementary streams). */
  readonly untimed: number;
  /**
   * Packets with a dts but no pts (AVI): their dts stands in for the pts, so the list is a decode
   * timeline that the decoder's own pts may be offset from (by the B-frame delay).
   */
  readonly dtsOnly?: number;
  /** The demuxer stopped with an error (damaged or cut file). */
  readonly readError?: string;
  /**
   * The demuxer flagged damaged packets ("Packet corrupt"). In a container without an index
   * (MPEG-TS) the packets around the damage are gone from `pts` too, so a gap there is a loss.
   */
  readonly corrupt?: boolean;
  /** Sorted pts of the packets flagged keyframe ('K'): where a decoder can start (a resumed run seeks to one). */
  readonly keyframePts?: number[];
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/).filter(Boolean);
  return lines.at(-1) ?? '';
}

/**
 * Probe a media file's streams and container through fluent-ffmpeg's ffprobe; throws INPUT_INVALID
 * naming the file when ffprobe cannot read it. fluent's probe cannot be killed, so an abort is
 * honoured before it starts and once it is done (it reads headers only, a fraction of a second).
 */
export async function probeMedia(ffprobe: ToolBinary, file: string, signal?: AbortSignal): Promise<ProbeResult> {
  // The CLI probes the input to choose the source, and the source probes it again when it opens;
  // each ffprobe start costs ~0.1–0.3 CPU-seconds of library loading, so the same unchanged file is
  // probed once per process. Failures are not remembered.
  const cancelled = () => new UpframeError('CANCELLED', `probing ${file} was cancelled`, { file });
  if (signal?.aborted) throw cancelled();
  const key = identity(ffprobe, file);
  let probe = key ? probes.get(key) : undefined;
  if (!probe) {
    probe = probeMediaOnce(ffprobe, file, signal);
    if (key) {
      probes.set(key, probe);
      probe.catch(() => probes.delete(key));
    }
  }
  const result = await probe;
  if (signal?.aborted) throw cancelled();
  // Each caller gets its own copy: a shared result must not be changed under another reader.
  return structuredClone(result);
}

const probes = new Map<string, Promise<ProbeResult>>();

function identity(ffprobe: ToolBinary, file: string): string | undefined {
  try {
    const s = statSync(file);
    return s.isFile() ? [ffprobe.path, file, s.dev, s.ino, s.size, s.mtimeMs].join('\0') : undefined;
  } catch {
    return undefined;
  }
}

async function probeMediaOnce(ffprobe: ToolBinary, file: string, signal?: AbortSignal): Promise<ProbeResult> {
  const cancelled = () => new UpframeError('CANCELLED', `probing ${file} was cancelled`, { file });
  if (signal?.aborted) throw cancelled();
  const outcome = await fluentProbe(ffprobe.path, file, ['-v', 'error', '-hide_banner']);
  if (signal?.aborted) throw cancelled();
  if ('spawnError' in outcome) {
    throw new UpframeError('FFMPEG_NOT_FOUND', `cannot run ffprobe (${ffprobe.path}): ${outcome.spawnError.message}`, { cause: outcome.spawnError });
  }
  if ('exitError' in outcome) {
    // fluent's message is "ffprobe exited with code N" followed by ffprobe's stderr.
    const [first, ...stderr] = outcome.exitError.message.split('\n');
    const why = lastLine(stderr.join('\n')).replace(`${file}: `, '') || first;
    throw new UpframeError('INPUT_INVALID', `${file} is not a media file ffprobe can read: ${why}`, {
      file,
      cause: outcome.exitError,
      hint: 'Check that the file is a complete video; a file cut short often loses its index (the moov atom in MP4).',
    });
  }
  const parsed = normaliseFluentProbe(outcome.data);
  if ('broken' in parsed) throw new UpframeError('INPUT_INVALID', `${file}: ${parsed.broken}`, { file });
  // Some demuxers claim anything at the lowest probe score and then find nothing in it.
  if (!parsed.streams.length) {
    throw new UpframeError('INPUT_INVALID', `${file} is not a media file ffprobe can read: no audio, video or image streams found`, { file });
  }
  return parsed;
}

function parseInteger(value: string | undefined): number | undefined {
  if (value === undefined || value === 'N/A' || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * List one stream's packet timestamps. This demuxes without decoding (fast, I/O bound) and is how
 * every decoded frame gets its exact pts: decoders emit frames in presentation order, so the sorted
 * packet pts are the frame pts. `v:0` (the first video stream) lets a caller start this before it
 * has read the streams.
 */
export async function probePacketTimes(ffprobe: ToolBinary, file: string, streamIndex: number | 'v:0', signal?: AbortSignal): Promise<PacketTimes> {
  // Warnings too, tagged by level: "Packet corrupt" is only a warning, and it is the one sign of a
  // damaged MPEG-TS, whose demuxer drops the broken packets before they can be listed.
  const args = ['-v', 'level+warning', '-hide_banner', '-select_streams', String(streamIndex), '-show_entries', 'packet=pts,dts,duration,flags', '-of', 'compact=p=0', '-i', file];
  const result = await runTool(ffprobe.path, args, { signal, timeoutMs: 30 * 60_000 });
  if (signal?.aborted) throw new UpframeError('CANCELLED', `probing ${file} was cancelled`, { file });
  if (result.spawnError) throw new UpframeError('FFMPEG_NOT_FOUND', `cannot run ffprobe: ${result.spawnError.message}`, { cause: result.spawnError });

  const entries: { pts: number; duration?: number }[] = [];
  const keyframePts: number[] = [];
  let total = 0;
  let discarded = 0;
  let untimed = 0;
  let dtsOnly = 0;
  for (const line of result.stdout.split('\n')) {
    if (!line) continue;
    const fields = new Map(line.split('|').map((kv) => kv.split('=') as [string, string]));
    total++;
    if ((fields.get('flags') ?? '').includes('D')) {
      discarded++;
      continue;
    }
    const own = parseInteger(fields.get('pts'));
    const pts = own ?? parseInteger(fields.get('dts'));
    if (own === undefined && pts !== undefined) dtsOnly++;
    if (pts === undefined) {
      untimed++;
      continue;
    }
    entries.push({ pts, duration: parseInteger(fields.get('duration')) });
    if ((fields.get('flags') ?? '').includes('K')) keyframePts.push(pts);
  }
  entries.sort((a, b) => a.pts - b.pts);
  keyframePts.sort((a, b) => a - b);
  const warnings = result.stderr.split(/\r?\n/).filter((l) => l.includes('[warning]'));
  const errors = result.stderr.split(/\r?\n/).filter((l) => !l.includes('[warning]')).map((l) => l.replace(/\[(error|fatal|panic)\] /, '')).join('\n');
  const readError = result.code === 0 && !errors.trim() ? undefined : lastLine(errors) || `ffprobe exit code ${result.code}`;
  const corrupt = warnings.some((l) => /packet corrupt/i.test(l));
  return { pts: entries.map((e) => e.pts), lastDuration: entries.at(-1)?.duration, total, discarded, untimed, dtsOnly, readError, corrupt, keyframePts };
}
