import { UpframeError } from '@upframe/core';

/** The payload format version; a worker refuses jobs written for another. */
export const JOB_DATA_VERSION = 1;

/**
 * The upscale settings a job carries: names and values as on the CLI (`backend`, `model`, `codec`,
 * `crf`, …). Names are looked up in what the worker has installed; nothing in a payload is ever
 * loaded or executed as code.
 */
export type JobSettings = Readonly<Record<string, string | number | boolean>>;

/** One part: frames [firstFrame, endFrame) of `input`, committed into the job's journal folder. */
export interface PartJobData {
  readonly version: typeof JOB_DATA_VERSION;
  readonly job: string;
  readonly input: string;
  readonly output: string;
  readonly part: {
    readonly index: number;
    readonly count: number;
    readonly firstFrame: number;
    readonly endFrame: number;
    readonly startPts: number;
    /** Pts of the input's frame 0: every part's output timeline starts there, as the local run's does. */
    readonly originPts: number;
  };
  readonly settings: JobSettings;
}

/** The parent job: joins the committed parts and muxes the input's other streams once every part is done. */
export interface JoinJobData {
  readonly version: typeof JOB_DATA_VERSION;
  readonly job: string;
  readonly input: string;
  readonly output: string;
  readonly parts: number;
  readonly frames: number;
  readonly settings: JobSettings;
}

const SETTING_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const MAX_SETTINGS = 64;
const MAX_TEXT = 4096;

const invalid = (what: string) => new UpframeError('JOB_INVALID', `job payload refused: ${what}`, { hint: 'Jobs are written by `upframe cluster submit` of the same upframe version; resubmit the job with it.' });

function object(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function text(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT || v.includes('\0')) throw invalid(`"${key}" must be a non-empty string`);
  return v;
}

function absolutePath(o: Record<string, unknown>, key: string): string {
  const v = text(o, key);
  if (!v.startsWith('/')) throw invalid(`"${key}" must be an absolute path (got "${v}")`);
  return v;
}

function count(o: Record<string, unknown>, key: string, min = 0): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw invalid(`"${key}" must be an integer ≥ ${min}`);
  return v;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) throw invalid(`${what} has unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ')}`);
}

function settings(value: unknown): JobSettings {
  const o = object(value, '"settings"');
  const names = Object.keys(o);
  if (names.length > MAX_SETTINGS) throw invalid(`"settings" has ${names.length} entries (at most ${MAX_SETTINGS})`);
  for (const name of names) {
    if (!SETTING_NAME.test(name)) throw invalid(`setting name "${name}" is not an option name`);
    const v = o[name];
    const ok = typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= MAX_TEXT && !v.includes('\0'));
    if (!ok) throw invalid(`setting "${name}" must be a string, a finite number or a boolean`);
  }
  return o as JobSettings;
}

function version(o: Record<string, unknown>): typeof JOB_DATA_VERSION {
  if (o.version !== JOB_DATA_VERSION) throw invalid(`payload version ${JSON.stringify(o.version)}; this worker reads version ${JOB_DATA_VERSION}`);
  return JOB_DATA_VERSION;
}

/** Checks a part job's payload field by field; throws JOB_INVALID naming the first thing wrong. */
export function parsePartJobData(value: unknown): PartJobData {
  const o = object(value, 'the payload');
  onlyKeys(o, ['version', 'job', 'input', 'output', 'part', 'settings'], 'the payload');
  const p = object(o.part, '"part"');
  onlyKeys(p, ['index', 'count', 'firstFrame', 'endFrame', 'startPts', 'originPts'], '"part"');
  const part = { index: count(p, 'index'), count: count(p, 'count', 1), firstFrame: count(p, 'firstFrame'), endFrame: count(p, 'endFrame', 1), startPts: p.startPts, originPts: p.originPts };
  if (typeof part.startPts !== 'number' || !Number.isSafeInteger(part.startPts)) throw invalid('"startPts" must be an integer');
  if (typeof part.originPts !== 'number' || !Number.isSafeInteger(part.originPts)) throw invalid('"originPts" must be an integer');
  if (part.index >= part.count) throw invalid(`part ${part.index} of ${part.count} does not exist`);
  if (part.endFrame <= part.firstFrame) throw invalid(`part ${part.index} has no frames (${part.firstFrame}–${part.endFrame})`);
  return { version: version(o), job: text(o, 'job'), input: absolutePath(o, 'input'), output: absolutePath(o, 'output'), part: part as PartJobData['part'], settings: settings(o.settings) };
}

/** Checks a join job's payload; throws JOB_INVALID naming the first thing wrong. */
export function parseJoinJobData(value: unknown): JoinJobData {
  const o = object(value, 'the payload');
  onlyKeys(o, ['version', 'job', 'input', 'output', 'parts', 'frames', 'settings'], 'the payload');
  return { version: version(o), job: text(o, 'job'), input: absolutePath(o, 'input'), output: absolutePath(o, 'output'), parts: count(o, 'parts', 1), frames: count(o, 'frames', 1), settings: settings(o.settings) };
}
