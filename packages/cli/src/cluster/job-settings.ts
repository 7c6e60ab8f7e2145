import { UpframeError } from '@upframe/core';
import type { JobSettings } from '@upframe/cluster';
import { RUN_OPTIONS, type RunOptionName, type RunSettings } from '../run-options.js';
import type { StageOptions } from '../stage-options.js';

/**
 * The upscale options a cluster job carries, resolved on the submitting machine (flag > config >
 * built-in) so every worker runs the same settings. Left out: what belongs to the worker
 * (`--device`, `--threads`: its own flags), to the submit (`--part-seconds`, `--report`, output
 * chatter) or to image outputs.
 */
export const CARRIED_OPTIONS = [
  'backend', 'model', 'precision', 'dedupe', 'batch', 'tile', 'inFlight', 'maxPixels',
  'codec', 'crf', 'preset', 'pixFmt', 'deinterlace', 'alpha', 'background',
  'audio', 'subtitles', 'acceptDamaged', 'overwrite',
] as const satisfies readonly RunOptionName[];

/** Stage options travel as JSON text and are checked against the stage's own schema on the worker. */
const STAGE_SETTINGS = { 'backend-options': 'backendOptions', 'dedupe-options': 'dedupeOptions' } as const;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function toJobSettings(s: RunSettings, stage: StageOptions): JobSettings {
  const out: Record<string, string | number | boolean> = {};
  for (const name of CARRIED_OPTIONS) {
    const v = s[name];
    if (v !== undefined) out[kebab(name)] = v;
  }
  out['backend-options'] = JSON.stringify(stage.backend ?? {});
  out['dedupe-options'] = JSON.stringify(stage.dedupe ?? {});
  return out;
}

const refused = (message: string) => new UpframeError('JOB_INVALID', `job settings refused: ${message}`, { hint: 'Jobs are written by `upframe cluster submit` of the same upframe version; resubmit the job with it.' });

/**
 * A job's settings back as command-line flags (each value through its flag's own parser) and
 * config-style stage options. Only the options in {@link CARRIED_OPTIONS} are accepted: a payload
 * cannot name plugins, config files, reports or anything else.
 */
export function fromJobSettings(settings: JobSettings): { flags: Record<string, unknown>; defaults: Record<string, unknown> } {
  const flags: Record<string, unknown> = {};
  const defaults: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (key in STAGE_SETTINGS) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(value));
      } catch {
        throw refused(`"${key}" is not JSON`);
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw refused(`"${key}" must be an object`);
      defaults[STAGE_SETTINGS[key as keyof typeof STAGE_SETTINGS]] = parsed;
      continue;
    }
    const name = camel(key);
    if (!(CARRIED_OPTIONS as readonly string[]).includes(name)) throw refused(`"${key}" is not an option a job may set (allowed: ${CARRIED_OPTIONS.map(kebab).join(', ')}, ${Object.keys(STAGE_SETTINGS).join(', ')})`);
    const def = RUN_OPTIONS[name as RunOptionName];
    if (def.kind === 'switch') {
      if (typeof value !== 'boolean') throw refused(`"${key}" must be true or false`);
      flags[name] = value;
    } else {
      flags[name] = def.parse(String(value));
    }
  }
  return { flags, defaults };
}
