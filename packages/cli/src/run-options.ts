import type { Command } from 'commander';
import { DEFAULT_BACKGROUND, DEFAULT_MAX_PIXELS, UpframeError, isUpframeError, type AlphaMode, type DeviceRequest, type Precision } from '@upframe/core';
import { DEFAULT_IN_FLIGHT } from '@upframe/core/internal';
import { DEFAULT_MODEL_ID } from '@upframe/models';
import { DEFAULT_PART_SECONDS, parseDeinterlaceMode, type DeinterlaceMode } from '@upframe/io';
import { parseAlpha, parseBackground, parseBatch, parseCrf, parseDevice, parseMaxPixels, parsePartSeconds, parsePositiveInt, parsePrecision, parseQuality, parseThreads, parseTile } from './option-parsers.js';

// Every `upscale`/`demo` option is resolved here, in one place: the flag if given, else the config
// file's `defaults`, else the built-in default. commander sets no defaults for these (a default
// would be indistinguishable from a flag and silently beat the config), and a config value goes
// through the same parser as the flag, so both fail with the same words.

/** What a built-in default may depend on: only known once plugins are registered. */
export interface BuiltInContext {
  /** The highest-priority dedupe strategy registered. */
  readonly bestDedupe: string;
}

interface RunOptionDef<T> {
  /** The flag, for messages. */
  readonly flag: string;
  /** `switch`: a boolean flag (`--lossy`, `--no-audio`); `value`: takes an argument, parsed by `parse`. */
  readonly kind: 'value' | 'switch';
  readonly parse: (raw: string) => T;
  readonly builtIn: T | ((context: BuiltInContext) => T);
  /** Consent for one run (overwriting, carrying on past damage): a config file may not give it. */
  readonly flagOnly?: boolean;
}

const text = (flag: string) => (raw: string): string => {
  if (raw.trim() === '') throw new UpframeError('USAGE', `${flag} needs a value, got an empty string`);
  return raw;
};
const switchParse = (flag: string) => (raw: string): boolean => {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new UpframeError('USAGE', `${flag} is a switch: true or false, got "${raw}"`);
};
const value = <T>(flag: string, parse: (raw: string) => T, builtIn: RunOptionDef<T>['builtIn']): RunOptionDef<T> => ({ flag, kind: 'value', parse, builtIn });
const optional = <T>(flag: string, parse: (raw: string) => T): RunOptionDef<T | undefined> => ({ flag, kind: 'value', parse, builtIn: undefined });
const toggle = (flag: string, builtIn: boolean, flagOnly = false): RunOptionDef<boolean> => ({ flag, kind: 'switch', parse: switchParse(flag), builtIn, flagOnly });

/** Option name (commander's camelCase key, also the config key) → flag, parser, built-in default. */
export const RUN_OPTIONS = {
  backend: value('--backend', text('--backend'), 'auto'),
  model: value('--model', text('--model'), DEFAULT_MODEL_ID),
  device: value<DeviceRequest>('--device', parseDevice, 'auto'),
  precision: value<Precision>('--precision', parsePrecision, 'auto'),
  dedupe: value('--dedupe', text('--dedupe'), (context) => context.bestDedupe),
  // `source` keeps a frame folder's or image's own format (PNG in → PNG out); `auto` chooses by content.
  format: value('--format', text('--format'), 'source'),
  lossy: toggle('--lossy', false),
  quality: optional('--quality', parseQuality),
  batch: value('--batch', parseBatch, 'auto'),
  tile: value('--tile', parseTile, 'auto'),
  inFlight: value('--in-flight', parsePositiveInt('--in-flight'), DEFAULT_IN_FLIGHT),
  // The backend's own default (all cores), which it reports; the encoder's for crf and preset.
  threads: optional('--threads', parseThreads),
  maxPixels: value('--max-pixels', parseMaxPixels, DEFAULT_MAX_PIXELS),
  codec: optional('--codec', text('--codec')),
  crf: optional('--crf', parseCrf),
  preset: optional('--preset', text('--preset')),
  pixFmt: optional('--pix-fmt', text('--pix-fmt')),
  deinterlace: value<DeinterlaceMode>('--deinterlace', parseDeinterlaceMode, 'auto'),
  // Transparency is read from the pixels; `keep` refuses an output that cannot store it, `drop` flattens it.
  alpha: value<AlphaMode>('--alpha', parseAlpha, 'keep'),
  background: value('--background', parseBackground, DEFAULT_BACKGROUND),
  partSeconds: value('--part-seconds', parsePartSeconds, DEFAULT_PART_SECONDS),
  fresh: toggle('--fresh', false, true),
  audio: toggle('--no-audio', true),
  subtitles: toggle('--no-subtitles', true),
  report: optional('--report', text('--report')),
  quiet: toggle('--quiet', false),
  json: toggle('--json', false),
  acceptDamaged: toggle('--accept-damaged', false, true),
  overwrite: toggle('--overwrite', false, true),
  allowOtherFiles: toggle('--allow-other-files', false, true),
} as const;

export type RunOptionName = keyof typeof RUN_OPTIONS;
type SettingOf<D> = D extends RunOptionDef<infer T> ? T : never;
/** Every run option, resolved. */
export type RunSettings = { -readonly [K in RunOptionName]: SettingOf<(typeof RUN_OPTIONS)[K]> };

/** Objects in `defaults` holding stage options, checked against the chosen stage's schema. */
export const STAGE_OPTION_KEYS = ['backendOptions', 'dedupeOptions', 'formatOptions'] as const;

/** Keys `defaults` may hold. */
export function configKeys(): string[] {
  return [...Object.entries(RUN_OPTIONS).filter(([, def]) => !def.flagOnly).map(([name]) => name), ...STAGE_OPTION_KEYS];
}

/** Help text for an option whose default is the table's, so `--help` shows what applies with no flag and no config. */
export function withDefault(description: string, name: RunOptionName, shown?: string): string {
  const builtIn = RUN_OPTIONS[name].builtIn;
  return `${description} (default: ${shown ?? String(builtIn)}; config "defaults.${name}")`;
}

/** The flags typed on the command line (see givenFlags): absent ones are undefined. */
export type RunFlags = Readonly<Record<string, unknown>> & {
  readonly plugin?: string[];
  readonly config?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly overwrite?: boolean;
  readonly backendOpt?: string[];
  readonly dedupeOpt?: string[];
  readonly formatOpt?: string[];
};

/** The options actually typed on the command line: commander's own defaults (`--no-audio`'s `true`) are not choices. */
export function givenFlags(cmd: Command): RunFlags {
  const opts = cmd.opts();
  // commander types opts() as an open record; the keys are the options addRunOptions declares.
  return Object.fromEntries(Object.keys(opts).filter((key) => cmd.getOptionValueSource(key) === 'cli').map((key) => [key, opts[key]])) as RunFlags;
}

function configError(file: string | undefined, message: string, hint?: string, cause?: unknown): UpframeError {
  return new UpframeError('USAGE', `${file ?? 'config'}: ${message}`, { file, hint, cause });
}

/** A config value through the flag's own parser: `"batch": 4` is read as `--batch 4`. */
function fromConfig<T>(name: string, def: RunOptionDef<T>, raw: unknown, file: string | undefined): T {
  if (def.kind === 'switch') {
    if (typeof raw === 'boolean') return def.parse(String(raw));
    throw configError(file, `"defaults.${name}" must be true or false, got ${JSON.stringify(raw)}`, `It is the ${def.flag} switch.`);
  }
  if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
    throw configError(file, `"defaults.${name}" must be a string or a number, got ${JSON.stringify(raw)}`, `Write it as you would ${def.flag}'s value.`);
  }
  try {
    return def.parse(String(raw));
  } catch (error) {
    if (!isUpframeError(error)) throw error;
    throw configError(file, `"defaults.${name}" is invalid: ${error.message}`, error.hint ?? `Fix it, or override it with ${def.flag}.`, error);
  }
}

/** Rejects keys `defaults` cannot hold, listing those it can. */
export function checkConfigKeys(defaults: Readonly<Record<string, unknown>>, file: string | undefined): void {
  const allowed = configKeys();
  for (const key of Object.keys(defaults)) {
    if (allowed.includes(key)) continue;
    const def = (RUN_OPTIONS as Record<string, RunOptionDef<unknown>>)[key];
    const camel = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = def?.flagOnly
      ? `${def.flag} is consent for one run, so only the command line can give it.`
      : allowed.includes(camel) ? `Config keys are camelCase: "${camel}".` : `Remove "${key}", or run with --no-config.`;
    throw configError(file, `unknown key "defaults.${key}"; allowed: ${allowed.join(', ')}`, hint);
  }
}

/**
 * Resolves every run option: `flags` (parsed by commander, only those typed: see givenFlags) beat
 * `defaults` from the config file, which beat the built-in defaults.
 */
export function resolveRunSettings(flags: Readonly<Record<string, unknown>>, defaults: Readonly<Record<string, unknown>>, file: string | undefined, context: BuiltInContext): RunSettings {
  checkConfigKeys(defaults, file);
  const resolve = <T>(name: string, def: RunOptionDef<T>): T => {
    if (flags[name] !== undefined) return flags[name] as T;
    if (defaults[name] !== undefined) return fromConfig(name, def, defaults[name], file);
    return typeof def.builtIn === 'function' ? (def.builtIn as (context: BuiltInContext) => T)(context) : def.builtIn;
  };
  const entries = Object.entries(RUN_OPTIONS).map(([name, def]) => [name, resolve<unknown>(name, def)]);
  return Object.fromEntries(entries) as RunSettings;
}
