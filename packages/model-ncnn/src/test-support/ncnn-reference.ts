/**
 * Straightforward JS versions of ncnn's layer maths (from ncnn's naive C++ kernels), on one image
 * in CHW order. Tests compare the converted ONNX graph against these.
 */
export interface Chw {
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly data: Float32Array;
}

export const chw = (c: number, h: number, w: number, fill: (c: number, y: number, x: number) => number): Chw => {
  const data = new Float32Array(c * h * w);
  for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(k * h + y) * w + x] = fill(k, y, x);
  return { c, h, w, data };
};
const at = (t: Chw, k: number, y: number, x: number) => t.data[(k * t.h + y) * t.w + x]!;

export interface ConvSpec {
  out: number;
  k: number;
  stride?: number;
  dilation?: number;
  /** left, right, top, bottom */
  pads?: [number, number, number, number];
  padValue?: number;
  group?: number;
  weight: readonly number[];
  bias?: readonly number[];
}

export function conv(x: Chw, s: ConvSpec): Chw {
  const [l, r, t, b] = s.pads ?? [0, 0, 0, 0];
  const st = s.stride ?? 1;
  const d = s.dilation ?? 1;
  const g = s.group ?? 1;
  const ext = d * (s.k - 1) + 1;
  const oh = Math.floor((x.h + t + b - ext) / st) + 1;
  const ow = Math.floor((x.w + l + r - ext) / st) + 1;
  const inPer = x.c / g;
  const outPer = s.out / g;
  const px = (k: number, y: number, xx: number) => (y < 0 || xx < 0 || y >= x.h || xx >= x.w ? (s.padValue ?? 0) : at(x, k, y, xx));
  return chw(s.out, oh, ow, (o, y, xx) => {
    const gi = Math.floor(o / outPer);
    let sum = s.bias?.[o] ?? 0;
    for (let i = 0; i < inPer; i++)
      for (let ky = 0; ky < s.k; ky++)
        for (let kx = 0; kx < s.k; kx++) sum += s.weight[((o * inPer + i) * s.k + ky) * s.k + kx]! * px(gi * inPer + i, y * st - t + ky * d, xx * st - l + kx * d);
    return sum;
  });
}

/** ncnn Deconvolution: weights [out][in][k][k], each input pixel scatters its kernel, then pads are cut. */
export function deconv(x: Chw, s: ConvSpec & { outPad?: number }): Chw {
  const [l, r, t, b] = s.pads ?? [0, 0, 0, 0];
  const st = s.stride ?? 1;
  const fullH = (x.h - 1) * st + s.k + (s.outPad ?? 0);
  const fullW = (x.w - 1) * st + s.k + (s.outPad ?? 0);
  const full = new Float32Array(s.out * fullH * fullW);
  for (let o = 0; o < s.out; o++) {
    full.fill(s.bias?.[o] ?? 0, o * fullH * fullW, (o + 1) * fullH * fullW);
    for (let i = 0; i < x.c; i++)
      for (let y = 0; y < x.h; y++)
        for (let xx = 0; xx < x.w; xx++)
          for (let ky = 0; ky < s.k; ky++)
            for (let kx = 0; kx < s.k; kx++) full[(o * fullH + y * st + ky) * fullW + xx * st + kx] += at(x, i, y, xx) * s.weight[((o * x.c + i) * s.k + ky) * s.k + kx]!;
  }
  const f: Chw = { c: s.out, h: fullH, w: fullW, data: full };
  return chw(s.out, fullH - t - b, fullW - l - r, (o, y, xx) => at(f, o, y + t, xx + l));
}

export const map = (x: Chw, fn: (v: number, c: number) => number): Chw => chw(x.c, x.h, x.w, (k, y, xx) => fn(at(x, k, y, xx), k));

export function pixelShuffle(x: Chw, r: number, mode: 0 | 1): Chw {
  const oc = x.c / (r * r);
  return chw(oc, x.h * r, x.w * r, (p, y, xx) => {
    const sh = y % r;
    const sw = xx % r;
    const q = mode === 0 ? p * r * r + sh * r + sw : (sh * r + sw) * oc + p;
    return at(x, q, Math.floor(y / r), Math.floor(xx / r));
  });
}

export function crop(x: Chw, c0: number, c1: number, y0: number, y1: number, x0: number, x1: number): Chw {
  return chw(c1 - c0, y1 - y0, x1 - x0, (k, y, xx) => at(x, k + c0, y + y0, xx + x0));
}

/** ncnn nearest: in = min(int(out * (1/scale)), size - 1), the reciprocal in float32. */
export function nearest(x: Chw, scale: number): Chw {
  const inv = Math.fround(1 / Math.fround(scale));
  const oh = Math.trunc(x.h * scale);
  const ow = Math.trunc(x.w * scale);
  return chw(x.c, oh, ow, (k, y, xx) => at(x, k, Math.min(Math.trunc(Math.fround(y * inv)), x.h - 1), Math.min(Math.trunc(Math.fround(xx * inv)), x.w - 1)));
}

type Taps = { ofs: number[]; alpha: number[][] };

function linearTaps(n: number, out: number): Taps {
  const scale = n / out;
  const ofs: number[] = [];
  const alpha: number[][] = [];
  for (let d = 0; d < out; d++) {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f -= s;
    if (s < 0) [s, f] = [0, 0];
    if (s >= n - 1) [s, f] = [n - 2, 1];
    ofs.push(s);
    alpha.push([1 - f, f]);
  }
  return { ofs, alpha };
}

function cubicTaps(n: number, out: number): Taps {
  const A = -0.75;
  const scale = n / out;
  const ofs: number[] = [];
  const alpha: number[][] = [];
  for (let d = 0; d < out; d++) {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f -= s;
    const f0 = f + 1;
    const f2 = 1 - f;
    const c0 = A * f0 ** 3 - 5 * A * f0 ** 2 + 8 * A * f0 - 4 * A;
    const c1 = (A + 2) * f ** 3 - (A + 3) * f ** 2 + 1;
    const c2 = (A + 2) * f2 ** 3 - (A + 3) * f2 ** 2 + 1;
    let a = [c0, c1, c2, 1 - c0 - c1 - c2];
    if (s <= -1) [s, a] = [1, [1 - a[3]!, a[3]!, 0, 0]];
    if (s === 0) [s, a] = [1, [a[0]! + a[1]!, a[2]!, a[3]!, 0]];
    if (s === n - 2) [s, a] = [n - 3, [0, a[0]!, a[1]!, a[2]! + a[3]!]];
    if (s >= n - 1) [s, a] = [n - 3, [0, 0, a[0]!, 1 - a[0]!]];
    ofs.push(s - 1);
    alpha.push(a);
  }
  return { ofs, alpha };
}

/** ncnn bilinear (align_corner=0) or bicubic resize to `oh`×`ow`. */
export function resize(x: Chw, oh: number, ow: number, kind: 'bilinear' | 'bicubic'): Chw {
  const taps = kind === 'bilinear' ? linearTaps : cubicTaps;
  const tx = taps(x.w, ow);
  const ty = taps(x.h, oh);
  return chw(x.c, oh, ow, (k, y, xx) => {
    let sum = 0;
    ty.alpha[y]!.forEach((by, i) => tx.alpha[xx]!.forEach((bx, j) => (sum += by * bx * at(x, k, ty.ofs[y]! + i, tx.ofs[xx]! + j))));
    return sum;
  });
}

export const globalAverage = (x: Chw): number[] => Array.from({ length: x.c }, (_v, k) => x.data.subarray(k * x.h * x.w, (k + 1) * x.h * x.w).reduce((a, b) => a + b, 0) / (x.h * x.w));

export const innerProduct = (v: readonly number[], out: number, weight: readonly number[], bias?: readonly number[]): number[] =>
  Array.from({ length: out }, (_x, o) => v.reduce((sum, vi, i) => sum + vi * weight[o * v.length + i]!, bias?.[o] ?? 0));
