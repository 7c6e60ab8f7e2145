import type { DependencyContainer } from 'tsyringe';
import type { DedupeStrategy } from './contracts/dedupe-strategy.js';
import type { FormatSelector } from './contracts/format-selector.js';
import type { FrameSink, SinkOptions } from './contracts/frame-sink.js';
import type { FrameSource, SourceOptions } from './contracts/frame-source.js';
import type { BackendOptions, InferenceBackend } from './contracts/inference-backend.js';
import { UpframeError } from './errors.js';

/** One selectable implementation: a name, a line of description, and a factory. */
export interface RegistryEntry<T, O> {
  readonly name: string;
  readonly description: string;
  /** Higher wins when a caller asks for "the best available". */
  readonly priority?: number;
  /** Package or plugin that registered it (for messages and `upframe backends`). */
  readonly origin?: string;
  create(container: DependencyContainer, options: O): T;
}

/**
 * A named registry of stage implementations. Lookups by an unknown name throw an error
 * that lists every registered name.
 */
export class NamedRegistry<T, O> {
  private readonly entries = new Map<string, RegistryEntry<T, O>>();

  constructor(readonly kind: string) {}

  add(entry: RegistryEntry<T, O>): this {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(entry.name)) {
      throw new UpframeError('USAGE', `invalid ${this.kind} name "${entry.name}": use lower-case letters, digits, '.', '_' and '-'`);
    }
    this.entries.set(entry.name, entry);
    return this;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): RegistryEntry<T, O> {
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
  list(): RegistryEntry<T, O>[] {
    return [...this.entries.values()].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.name.localeCompare(b.name));
  }

  names(): string[] {
    return this.list().map((e) => e.name);
  }
}

export type BackendRegistry = NamedRegistry<InferenceBackend, BackendOptions>;
export type DedupeRegistry = NamedRegistry<DedupeStrategy, Readonly<Record<string, unknown>>>;
export type FormatSelectorRegistry = NamedRegistry<FormatSelector, Readonly<Record<string, unknown>>>;
export type SourceRegistry = NamedRegistry<FrameSource, SourceOptions>;
export type SinkRegistry = NamedRegistry<FrameSink, SinkOptions>;
