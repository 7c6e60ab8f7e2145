import type { FrameAnalysis } from './frame-analysis.js';

/** Content classes the encoder settings are tuned for. */
export const CONTENT_CLASSES = ['flat', 'photographic', 'noisy'] as const;
export type ContentClass = (typeof CONTENT_CLASSES)[number];

// Thresholds from the analysis of the generated classes (bench/content.mjs, 512×288):
//   flat animation  run 0.98, 240–340 colours     testsrc2   run 0.93, ~1250 colours
//   with alpha      run 0.92, ~500 colours        photo      run 0.07–0.18, colours at the cap, noise 1.0–1.3
//   16-bit gradient run 0.43–0.66, colours at cap noisy      run 0.00, noise 11
// so both flat tests leave a wide margin on either side.
export const FLAT_MIN_RUN_FRACTION = 0.8;
export const FLAT_MAX_COLOURS = 2048;
export const NOISY_MIN_NOISE = 4;

export function classify(analysis: FrameAnalysis): ContentClass {
  if (analysis.runFraction >= FLAT_MIN_RUN_FRACTION && analysis.distinctColours <= FLAT_MAX_COLOURS) return 'flat';
  if (analysis.noise >= NOISY_MIN_NOISE) return 'noisy';
  return 'photographic';
}

/** A few words on what the analysis saw, for reasons and the report. */
export function describeContent(analysis: FrameAnalysis, cls: ContentClass = classify(analysis)): string {
  const run = `${Math.round(analysis.runFraction * 100)}% of sampled pixels repeat their left neighbour`;
  if (cls === 'flat') return `flat content (${run}, ${analysis.distinctColours} colours in the sample)`;
  if (cls === 'noisy') return `noisy content (noise estimate ${analysis.noise.toFixed(1)})`;
  return `photographic content (${run}, noise estimate ${analysis.noise.toFixed(1)})`;
}
