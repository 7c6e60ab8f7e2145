import { UpframeError, type ImageFormat, type OptionSchema, type PluginOptions } from '@upframe/core/plugin';

/** The formats this selector may try: only those sharp can write losslessly. */
export const LOSSLESS_CANDIDATES = ['png', 'webp', 'tiff', 'avif'] as const satisfies readonly ImageFormat[];
export type Candidate = (typeof LOSSLESS_CANDIDATES)[number];

/** Lossless settings per candidate, in sharp's option names (the kit checks they are lossless). */
export const LOSSLESS_SETTINGS: Record<Candidate, Readonly<Record<string, unknown>>> = {
  png: { compressionLevel: 9, adaptiveFiltering: true },
  webp: { lossless: true, effort: 4 },
  tiff: { compression: 'deflate', predictor: 'horizontal' },
  avif: { lossless: true, effort: 4 },
};

export const DEFAULT_CANDIDATES: readonly Candidate[] = ['png', 'webp'];

/** What `--format-opt` accepts; upframe checks the user's values against it before create(). */
export const SMALLEST_OPTIONS: OptionSchema = {
  candidates: {
    type: 'string',
    default: DEFAULT_CANDIDATES.join(','),
    description: `formats to try, comma-separated, in order of preference on a tie: any of ${LOSSLESS_CANDIDATES.join(', ')}`,
  },
};

export interface SmallestOptions {
  readonly candidates: readonly Candidate[];
}

/**
 * The schema only says `candidates` is a string; which formats it may name is this plugin's
 * rule, so a wrong one is a usage error listing them.
 */
export function parseSmallestOptions(options: PluginOptions): SmallestOptions {
  const raw = options.candidates ?? DEFAULT_CANDIDATES.join(',');
  const names = typeof raw === 'string' ? raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : [];
  const unknown = names.filter((n) => !(LOSSLESS_CANDIDATES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new UpframeError('USAGE', `smallest: candidates must list formats from ${LOSSLESS_CANDIDATES.join(', ')}; got ${JSON.stringify(raw)}`, {
      plugin: 'smallest',
      hint: 'Example: --format-opt candidates=png,webp (JPEG is never a candidate: it is always lossy).',
    });
  }
  return { candidates: [...new Set(names as Candidate[])] };
}
