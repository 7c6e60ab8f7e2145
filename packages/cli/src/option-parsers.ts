import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ALPHA_MODES, PRECISIONS, UpframeError, type AlphaMode, type DeviceRequest, type Precision } from '@upframe/core';
import { parseColour } from '@upframe/core/internal';

const usage = (message: string, hint?: string) => new UpframeError('USAGE', message, { hint });

export function parseDevice(raw: string): DeviceRequest {
  if (raw === 'auto' || raw === 'cpu' || raw === 'cuda' || /^cuda:\d+$/.test(raw)) return raw as DeviceRequest;
  throw usage(`--device must be auto, cpu, cuda or cuda:N, got "${raw}"`);
}

export function parseAlpha(raw: string): AlphaMode {
  const mode = ALPHA_MODES.find((m) => m === raw);
  if (mode) return mode;
  throw usage(`--alpha must be ${ALPHA_MODES.join(' or ')}, got "${raw}"`, 'keep: transparency goes through (an output that cannot store it is refused); drop: it is flattened onto --background.');
}

/** A colour for --background, checked now; kept as typed, for messages. */
export function parseBackground(raw: string): string {
  try {
    parseColour(raw);
  } catch (error) {
    throw usage(`--background: ${(error as Error).message}`);
  }
  return raw.startsWith('#') ? raw : `#${raw}`;
}

export function parsePrecision(raw: string): Precision {
  if ((PRECISIONS as readonly string[]).includes(raw)) return raw as Precision;
  throw usage(`--precision must be one of ${PRECISIONS.join(', ')}, got "${raw}"`);
}

export function parseBatch(raw: string): number | 'auto' {
  if (raw === 'auto') return 'auto';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw usage(`--batch must be auto or a positive integer, got "${raw}"`);
  return n;
}

export function parseTile(raw: string): number | 'auto' | 'off' {
  if (raw === 'auto' || raw === 'off') return raw;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 8) throw usage(`--tile must be auto, off or an integer ≥ 8, got "${raw}"`);
  return n;
}

export function parsePositiveInt(name: string) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw usage(`${name} must be a positive integer, got "${raw}"`);
    return n;
  };
}

/** `--quality N`: a lossy encoding's quality, 1–100. */
export function parseQuality(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 100) throw new UpframeError('USAGE', `--quality must be an integer from 1 to 100, got "${raw}"`, { hint: 'For example --quality 90; higher keeps more detail and makes larger files.' });
  return n;
}

/** `--part-seconds N`: length of a resumable video part; 0 writes the video in one piece. */
export function parsePartSeconds(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw usage(`--part-seconds must be a number of seconds ≥ 0 (0: one piece, not resumable), got "${raw}"`);
  return n;
}

export function parseCrf(raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 63) throw usage(`--crf must be a number from 0 to 63, got "${raw}"`);
  return n;
}

export function parseSize(raw: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw usage(`--size must be WIDTHxHEIGHT, e.g. 256x144, got "${raw}"`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--plugin` and `--no-config`, for every command that builds the container. */
export function addPluginOptions(cmd: Command): Command {
  return cmd
    .option('--plugin <module>', 'load a plugin module or path (repeatable)', collect, [])
    .option('--no-config', 'ignore upframe.config.mjs / upframe.config.json in the current folder');
}

/** More threads than this only thrash (10,000 once hung a run beyond Ctrl-C); 4 × cores leaves room for oversubscription tests. */
export function maxThreads(cores = availableParallelism()): number {
  return 4 * cores;
}

export function parseThreads(raw: string): number {
  const n = parsePositiveInt('--threads')(raw);
  if (n > maxThreads()) throw usage(`--threads must be at most ${maxThreads()} (4 × the ${availableParallelism()} cores here), got ${n}`);
  return n;
}

/** Pixels as `N`, `NM` (millions) or `WxH`. */
export function parseMaxPixels(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([mM]?)$/.exec(raw) ?? undefined;
  const size = /^(\d+)x(\d+)$/.exec(raw);
  const n = size ? Number(size[1]) * Number(size[2]) : m ? Math.round(Number(m[1]) * (m[2] ? 1e6 : 1)) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw usage(`--max-pixels must be a pixel count such as 50000000, 50M or 8000x6000, got "${raw}"`);
  return n;
}
