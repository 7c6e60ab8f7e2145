import { UpframeError } from '@upframe/core';

/**
 * Constant-quality ranges of the encoders upframe knows. The CLI can only check 0–63 (the widest),
 * and an out-of-range value is clamped or refused by the encoder much later, so each codec's own
 * range is checked before any work.
 */
export const CRF_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  libx264: [0, 51],
  libx264rgb: [0, 51],
  libx265: [0, 51],
  libvpx: [0, 63],
  'libvpx-vp9': [0, 63],
  'libaom-av1': [0, 63],
  libsvtav1: [0, 63],
};

/**
 * Throws USAGE when `crf` is outside `codec`'s range. For a codec whose range is unknown the value
 * is passed to ffmpeg as given (the encoder check then asks ffmpeg itself) and a note says so:
 * refusing would block encoders upframe has simply not heard of.
 */
export function checkCrf(codec: string, crf: number | undefined): string | undefined {
  if (crf === undefined) return undefined;
  const range = CRF_RANGES[codec];
  if (!range) return `crf ${crf} passed to ${codec} as given: upframe does not know its range (an encoder without a crf option ignores it)`;
  const [min, max] = range;
  if (crf < min || crf > max) {
    throw new UpframeError('USAGE', `--crf ${crf} is out of range for ${codec}: it takes ${min}–${max} (lower is better quality)`, {
      hint: `Pick a crf from ${min} to ${max}; ${codec === 'libx264' || codec === 'libx265' ? '18–28 is the usual range' : '24–40 is the usual range for VP9/AV1'}.`,
    });
  }
  return undefined;
}
