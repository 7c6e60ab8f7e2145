import { AUTO_BACKEND, TOKENS, UpframeError, checkOptions, describeOptionSchema, parseOptionPairs, type OptionSchema, type ParsedOptions } from '@upframe/core';
import type { DependencyContainer } from 'tsyringe';
import type { RunSettings } from './run-options.js';

// Options for the chosen backend, dedupe strategy and format selector, checked against the schema
// each declares where it registers (plugins included: this runs after they are registered), so an
// unknown key or a bad value stops the run with exit 2 before any backend starts.

/** The repeatable `--*-opt key=value` flags, as commander collected them. */
export interface StageOptionFlags {
  readonly backendOpt?: readonly string[];
  readonly dedupeOpt?: readonly string[];
  readonly formatOpt?: readonly string[];
}

/** What each chosen stage receives. */
export interface StageOptions {
  readonly backend: ParsedOptions;
  readonly dedupe: ParsedOptions;
  readonly format: ParsedOptions;
}

/** What this file needs of a registry, whatever it holds. */
interface SchemaLookup {
  has(name: string): boolean;
  get(name: string): { readonly options?: OptionSchema };
}

const STAGES = [
  { kind: 'backend', label: 'backend', flag: '--backend-opt', flagKey: 'backendOpt', configKey: 'backendOptions', registry: (c: DependencyContainer): SchemaLookup => c.resolve(TOKENS.Backends) },
  { kind: 'dedupe', label: 'dedupe strategy', flag: '--dedupe-opt', flagKey: 'dedupeOpt', configKey: 'dedupeOptions', registry: (c: DependencyContainer): SchemaLookup => c.resolve(TOKENS.Dedupe) },
  { kind: 'format', label: 'format selector', flag: '--format-opt', flagKey: 'formatOpt', configKey: 'formatOptions', registry: (c: DependencyContainer): SchemaLookup => c.resolve(TOKENS.FormatSelectors) },
] as const;

/** Config `*Options` first, then the flags over them key by key. */
function resolveOne(
  stage: (typeof STAGES)[number],
  name: string,
  schema: OptionSchema | undefined,
  flags: StageOptionFlags,
  defaults: Readonly<Record<string, unknown>>,
  file: string | undefined,
): ParsedOptions {
  const label = `${stage.label} ${name}`;
  let fromConfig: ParsedOptions;
  try {
    fromConfig = checkOptions(defaults[stage.configKey], schema, label, { file });
  } catch (error) {
    // The object applies to whichever stage runs, so a switch of stage is the usual cause.
    const hint = `"defaults.${stage.configKey}" in ${file} applies to whichever ${stage.label} runs (now ${name}): remove the keys ${name} does not take, or run with --no-config.`;
    throw new UpframeError('USAGE', `${(error as Error).message} (from "defaults.${stage.configKey}")`, { file, hint, cause: error });
  }
  const fromFlags = parseOptionPairs(flags[stage.flagKey] ?? [], schema, label, { flag: stage.flag });
  return { ...fromConfig, ...fromFlags };
}

/**
 * `auto` hands the same options to whichever candidate it tries, so it accepts what any
 * registered backend declares (the highest-priority declaration of a key wins); a candidate
 * ignores keys it does not read.
 */
function autoSchema(container: DependencyContainer): OptionSchema {
  const schema: Record<string, OptionSchema[string]> = {};
  for (const entry of container.resolve(TOKENS.Backends).list()) {
    for (const [key, spec] of Object.entries(entry.options ?? {})) schema[key] ??= spec;
  }
  return schema;
}

/**
 * Options for the stages `settings` chose. `--lossy` is `lossy=true` and `--quality N` is
 * `quality=N` for the format selector, so each needs a selector that declares that option; an
 * explicit `--format-opt` of the same key wins over it.
 */
export function resolveStageOptions(
  container: DependencyContainer,
  settings: Pick<RunSettings, 'backend' | 'dedupe' | 'format' | 'lossy' | 'quality'>,
  flags: StageOptionFlags,
  defaults: Readonly<Record<string, unknown>>,
  file: string | undefined,
): StageOptions {
  const [backend, dedupe, format] = STAGES.map((stage) => {
    const name = settings[stage.kind];
    const registry = stage.registry(container);
    // get() throws UNKNOWN_NAME listing the registered names: a usage error too.
    const schema = stage.kind === 'backend' && name === AUTO_BACKEND && !registry.has(name) ? autoSchema(container) : registry.get(name).options;
    return resolveOne(stage, name, schema, flags, defaults, file);
  }) as [ParsedOptions, ParsedOptions, ParsedOptions];
  let formatOptions = format;
  if (settings.quality !== undefined && format.quality === undefined) {
    const schema = container.resolve(TOKENS.FormatSelectors).get(settings.format).options;
    if (!schema?.quality) {
      throw new UpframeError('USAGE', `--quality does not apply to format selector ${settings.format}: it has no "quality" option (allowed: ${describeOptionSchema(schema)})`, {
        hint: 'Drop --quality, or pick a selector with a quality: --format source, auto, jpeg, webp or avif.',
      });
    }
    formatOptions = { ...formatOptions, quality: settings.quality };
  }
  if (settings.lossy && format.lossy === undefined) {
    const schema = container.resolve(TOKENS.FormatSelectors).get(settings.format).options;
    if (!schema?.lossy) {
      throw new UpframeError('USAGE', `--lossy does not apply to format selector ${settings.format}: it has no "lossy" option (allowed: ${describeOptionSchema(schema)})`, {
        hint: `Drop --lossy (or "lossy" in the config defaults), or pick a selector that can be lossy: --format source, auto, webp or avif.`,
      });
    }
    formatOptions = { ...formatOptions, lossy: true };
  }
  return { backend, dedupe, format: formatOptions };
}
