import type { DependencyContainer } from 'tsyringe';
import type { DedupeOptions, DedupeStrategy } from './contracts/dedupe-strategy.js';
import type { FormatSelector, FormatSelectorOptions } from './contracts/format-selector.js';
import type { FrameSink, SinkOptions } from './contracts/frame-sink.js';
import type { FrameSource, SourceOptions } from './contracts/frame-source.js';
import type { BackendOptions, DeviceRequest, InferenceBackend } from './contracts/inference-backend.js';
import { UpframeError } from './errors.js';
import { optionSchemaProblem, type OptionSchema } from './option-schema.js';

/** One selectable implementation: a name, a line of description, and a factory. */
export interface RegistryEntry<T, O> {
  readonly name: string;
  readonly description: string;
  /** Higher wins when a caller asks for "the best available". */
  readonly priority?: number;
  /** Package or plugin that registered it (for messages and `upframe backends`). */
  readonly origin?: string;
  /**
   * The options `create` reads (`--backend-opt`, `--dedupe-opt`, `--format-opt`, config
   * `*Options`); the CLI checks the user's against it before anything starts. Absent: none.
   */
  readonly options?: OptionSchema;
  create(container: DependencyContainer, options: O): T;
}

/** One place in `--backend auto`'s order: try the backend on `device`, ranked by `priority` among every backend's candidates. */
export interface AutoCandidateSpec {
  /** `cuda` becomes the user's `cuda:N` when one was asked for; `auto` lets the backend choose. */
  readonly device: Exclude<DeviceRequest, `cuda:${number}`>;
  /** Higher is tried first. */
  readonly priority: number;
}

/** A backend entry; it may rank itself per device for `--backend auto`. */
export interface BackendRegistryEntry extends RegistryEntry<InferenceBackend, BackendOptions> {
  /**
   * Where `auto` tries this backend, e.g. CUDA at a high priority and CPU at a lower one, so
   * another backend's GPU can come before this one's CPU. Without it `auto` tries the backend
   * once, on the device the user asked for, at `priority`.
   */
  readonly autoCandidates?: readonly AutoCandidateSpec[];
}

/**
 * A named registry of stage implementations. Lookups by an unknown name throw an error
 * that lists every registered name.
 */
export class NamedRegistry<T, O, E extends RegistryEntry<T, O> = RegistryEntry<T, O>> {
  private readonly entries = new Map<string, E>();

  constructor(readonly kind: string) {}

  add(entry: E): this {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(entry.name)) {
      throw new UpframeError('USAGE', `invalid ${this.kind} name "${entry.name}": use lower-case letters, digits, '.', '_' and '-'`);
    }
    // Checked here so a stage author's mistake surfaces at registration, not at a user's first --*-opt.
    const problem = optionSchemaProblem(entry.options);
    if (problem) throw new UpframeError('USAGE', `${this.kind} "${entry.name}": ${problem}`);
    this.entries.set(entry.name, entry);
    return this;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): E {
    const entry = this.entries.get(name);
    if (!entry) {
      const known = this.names();
      throw new UpframeError(
        'UNKNOWN_NAME',
        `unknown ${this.kind} "${name}"; registered: ${known.length ? known.join(', ') : '(none)'}`,
        { hint: `Pick one of: ${known.join(', ')}, or load a plugin that adds "${name}" with --plugin.` },
      );
    }
    return entry;
  }

  create(container: DependencyContainer, name: string, options: O): T {
    return this.get(name).create(container, options);
  }

  /** Entries, highest priority first, then by name. */
  list(): E[] {
    return [...this.entries.values()].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.name.localeCompare(b.name));
  }

  names(): string[] {
    return this.list().map((e) => e.name);
  }
}

export type BackendRegistry = NamedRegistry<InferenceBackend, BackendOptions, BackendRegistryEntry>;
export type DedupeRegistry = NamedRegistry<DedupeStrategy, DedupeOptions>;
export type FormatSelectorRegistry = NamedRegistry<FormatSelector, FormatSelectorOptions>;
export type SourceRegistry = NamedRegistry<FrameSource, SourceOptions>;
export type SinkRegistry = NamedRegistry<FrameSink, SinkOptions>;
