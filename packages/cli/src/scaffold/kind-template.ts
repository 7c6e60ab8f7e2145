import type { PluginKind } from './scaffold-names.js';

/** What a kind's templates are rendered with. */
export interface TemplateValues {
  readonly packageName: string;
  readonly stageName: string;
  /** The plugin API the scaffolding upframe provides: the literal written into definePlugin. */
  readonly apiVersion: string;
}

/** The files and words that differ between a backend, a dedupe strategy and a format selector. */
export interface KindTemplate {
  readonly kind: PluginKind;
  /** Completes "A … for upframe" in package.json and the README. */
  readonly summary: string;
  /** An `upframe upscale` line that uses the plugin once it is built. */
  usage(names: Pick<TemplateValues, 'packageName' | 'stageName'>): string;
  /** `src/index.ts`: the implementation and its definePlugin default export. */
  index(values: TemplateValues): string;
  /** `src/index.test.ts`: registration plus the kit's contract suite. */
  test(values: TemplateValues): string;
}

/**
 * For the generated tests: a host registry that keeps what the plugin adds, as upframe's own
 * does over its DI container. Shared by every kind's test template.
 */
export const RECORDING_REGISTRAR = `/** A registry that keeps what the plugin adds; upframe's host does the same over its own. */
function recording<T, O>(added: PluginEntry<T, O>[]): PluginRegistrar<T, O> {
  return { add: (entry) => void added.push(entry), has: (name) => added.some((e) => e.name === name), names: () => added.map((e) => e.name) };
}`;
