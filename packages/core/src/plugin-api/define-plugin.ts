import type { DedupeStrategy } from '../contracts/dedupe-strategy.js';
import type { FormatSelector } from '../contracts/format-selector.js';
import type { BackendOptions, InferenceBackend } from '../contracts/inference-backend.js';
import type { Logger } from '../logger.js';
import type { OptionSchema } from '../option-schema.js';
import type { PluginApiVersion } from './api-version.js';

/** Options a plugin or one of its stages receives, exactly as the user wrote them. */
export type PluginOptions = Readonly<Record<string, unknown>>;

/** What a plugin's factory gets besides its options when upframe builds a stage for a run. */
export interface PluginEntryContext {
  /** The run's logger (quiet runs get a silent one). */
  readonly logger: Logger;
  /** The `name` of the plugin that registered the entry. */
  readonly plugin: string;
}

/**
 * One selectable implementation a plugin adds: `--backend <name>`, `--dedupe <name>`,
 * `--format <name>`.
 */
export interface PluginEntry<T, O> {
  /** Lower-case letters, digits, `.`, `_`, `-`. Registering a taken name replaces the earlier entry. */
  readonly name: string;
  /** One line, shown by `upframe backends` and in "unknown name" errors. */
  readonly description: string;
  /** Higher wins when upframe picks "the best available"; default 0. */
  readonly priority?: number;
  /**
   * The options `create` reads, e.g. `{ strength: { type: 'integer', min: 1, max: 9, description: '…' } }`.
   * Users set them with `--backend-opt strength=3` (or `--dedupe-opt`, `--format-opt`) or in the
   * config file; upframe checks them against this schema first, so `create` only sees declared
   * keys with values of the declared type. Without a schema the stage accepts no options.
   */
  readonly options?: OptionSchema;
  /**
   * Builds the stage for one run. Keep it cheap: load runtimes in the stage's `initialize()`.
   * Anything it throws reaches the user tagged with the plugin's name; a thrown object whose
   * `code` is one of `ERROR_CODES` keeps that code.
   */
  create(options: O, context: PluginEntryContext): T;
}

/** Adds entries to one of the host's registries. */
export interface PluginRegistrar<T, O> {
  add(entry: PluginEntry<T, O>): void;
  has(name: string): boolean;
  /** Registered names, highest priority first. */
  names(): string[];
}

/**
 * The narrow object a plugin registers through. It is the whole surface a plugin may rely
 * on; upframe's DI container stays an implementation detail.
 */
export interface PluginHost {
  /** The plugin API version the host provides (`PLUGIN_API_VERSION` of the running upframe). */
  readonly apiVersion: string;
  /** The version of `@upframe/core` in the running upframe, for messages and feature checks. */
  readonly upframeVersion: string;
  /** The host's logger; `warn` reaches the terminal unless the run is quiet. */
  readonly logger: Logger;
  /** Inference backends: RGB uint8 images in, `scale`× larger out. */
  readonly backends: PluginRegistrar<InferenceBackend, BackendOptions>;
  /** Dedupe strategies: which frames reuse an earlier frame's output. */
  readonly dedupe: PluginRegistrar<DedupeStrategy, PluginOptions>;
  /** Output format selectors for image and frame-sequence outputs. */
  readonly formats: PluginRegistrar<FormatSelector, PluginOptions>;
}

/** A plugin module's default export, written against a versioned plugin API. */
export interface UpframePluginDefinition {
  /** Shown in messages and attached to every error the plugin's stages throw. */
  readonly name: string;
  /**
   * The plugin API version the plugin was written for, as a literal (`'1.0'`), never
   * `PLUGIN_API_VERSION`: that constant is the host's, so it would always match. The host
   * refuses a plugin with a different major or a newer minor than its own.
   */
  readonly apiVersion: PluginApiVersion;
  /**
   * Adds the plugin's entries. `options` are the user's (`["name", { … }]` in the config file),
   * `{}` when none were given; validate them here and throw a `USAGE` error listing the allowed
   * keys. May be async; it must finish within 30 s.
   */
  register(host: PluginHost, options: PluginOptions): void | Promise<void>;
}

/**
 * Types a plugin definition; returns it unchanged. Use it as the module's default export:
 * `export default definePlugin({ name: 'mine', apiVersion: '1.0', register(host) { … } })`.
 */
export function definePlugin(plugin: UpframePluginDefinition): UpframePluginDefinition {
  return plugin;
}
