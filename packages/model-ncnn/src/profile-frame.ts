import type { NcnnProfile } from './ncnn-profiles.js';

/** A planar float image: `c` planes of `h`×`w`. */
export interface PlanarImage {
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly data: Float32Array;
}

const reflect = (i: number, n: number) => {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
};
const replicate = (i: number, n: number) => Math.min(n - 1, Math.max(0, i));

/** Padded size of one side: `pad` before, `pad` plus the alignment remainder after. */
export function paddedSize(size: number, profile: Pick<NcnnProfile, 'pad' | 'alignment'>): number {
  return size + 2 * profile.pad + ((profile.alignment - (size % profile.alignment)) % profile.alignment);
}

/**
 * The model input for an interleaved RGB8 frame as the profile's tool builds it: values / 255,
 * planar RGB, padded by `pad` (and to the alignment at right and bottom) with the profile's fill.
 */
export function prepareFrame(rgb: Uint8Array, w: number, h: number, profile: NcnnProfile): PlanarImage {
  const pw = paddedSize(w, profile);
  const ph = paddedSize(h, profile);
  const index = profile.padMode === 'reflect' ? reflect : replicate;
  const data = new Float32Array(3 * pw * ph);
  const inv = Math.fround(1 / 255);
  for (let y = 0; y < ph; y++) {
    const sy = index(y - profile.pad, h);
    for (let x = 0; x < pw; x++) {
      const sx = index(x - profile.pad, w);
      for (let c = 0; c < 3; c++) data[(c * ph + y) * pw + x] = Math.fround(rgb[(sy * w + sx) * 3 + c]! * inv);
    }
  }
  return { c: 3, h: ph, w: pw, data };
}

/**
 * The RGB8 frame from the model output: the `scale·w`×`scale·h` region that the input frame maps to
 * (the model's own shrink has removed `shrink / 2` of the `scale·pad` border), plus the
 * nearest-upscaled input for residual models, written as the tools do (`trunc(v·255 + 0.5)` clamped).
 */
export function finishFrame(out: PlanarImage, input: PlanarImage, w: number, h: number, profile: NcnnProfile, shrink: number): Uint8Array {
  const s = profile.scale;
  const ow = w * s;
  const oh = h * s;
  const offset = s * profile.pad - shrink / 2;
  if (!Number.isInteger(offset) || offset < 0 || out.w < offset + ow || out.h < offset + oh) {
    throw new Error(`model output ${out.w}x${out.h} (shrink ${shrink}) does not hold a ${ow}x${oh} frame padded by ${profile.pad}`);
  }
  const rgb = new Uint8Array(ow * oh * 3);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        let v = Math.fround(Math.fround(out.data[(c * out.h + y + offset) * out.w + x + offset]! * 255) + 0.5);
        if (profile.residual === 'nearest') {
          const base = input.data[(c * input.h + profile.pad + Math.floor(y / s)) * input.w + profile.pad + Math.floor(x / s)]!;
          v = Math.fround(v + Math.fround(base * 255));
        }
        rgb[(y * ow + x) * 3 + c] = Math.min(255, Math.max(0, Math.trunc(v)));
      }
  return rgb;
}
