import { basename, dirname } from 'node:path';

/** Model families upframe recognises from the file and folder names their ncnn tools use. */
export const NCNN_FAMILIES = ['realesrgan', 'realcugan', 'waifu2x-cunet', 'waifu2x-upconv7'] as const;
export type NcnnFamily = (typeof NCNN_FAMILIES)[number];

/** `reflect` mirrors without repeating the edge pixel (ncnn BORDER_REFLECT); `replicate` repeats it. */
export const NCNN_PAD_MODES = ['reflect', 'replicate'] as const;
export type NcnnPadMode = (typeof NCNN_PAD_MODES)[number];

/**
 * What the model files do not say but the tools do. Input is RGB in 0–1 (`value / 255`), output
 * RGB in 0–1 written as `trunc(v × 255 + 0.5)` clamped to 0–255.
 */
export interface NcnnProfile {
  /** Catalog id, e.g. `realesr-animevideov3-x2`, `realcugan-up2x-conservative`, `waifu2x-cunet-noise1-2x`. */
  readonly id: string;
  readonly family: NcnnFamily;
  readonly scale: number;
  /** Denoise level: -1 none, 0–3, or `conservative`. */
  readonly denoise: number | 'conservative';
  readonly inputBlob: string;
  readonly outputBlob: string;
  /** Border added on every side before the model (the model shrinks it away), and how it is filled. */
  readonly pad: number;
  readonly padMode: NcnnPadMode;
  /** Right/bottom are padded further (same fill) to a multiple of this. */
  readonly alignment: number;
  /** Real-CUGAN 4×: the model predicts a residual over the nearest-upscaled input. */
  readonly residual: 'none' | 'nearest';
  /**
   * False where the model has global pooling (squeeze-excitation): tiles then differ from whole
   * frames. upframe runs such models on whole frames (it does not implement the tools' "sync gap").
   */
  readonly tileSafe: boolean;
  readonly tool: string;
  readonly licence: string;
}

const REALESRGAN = /^(realesr-animevideov3-x([234])|realesrgan-x4plus-anime|realesrgan-x4plus|realesrnet-x4plus)$/;
const REALCUGAN = /^up([234])x-(conservative|no-denoise|denoise([123])x)$/;
const WAIFU2X = /^(?:noise([0-3])_)?(?:(scale2\.0x)_)?model$/;

/** Recognises an ncnn model from its `.param` path as the original tools lay them out; undefined if unknown. */
export function recogniseNcnnModel(paramPath: string): NcnnProfile | undefined {
  const name = basename(paramPath).replace(/\.param$/, '');
  const folder = basename(dirname(paramPath));
  let m = REALESRGAN.exec(name);
  if (m) {
    return {
      id: name,
      family: 'realesrgan',
      scale: m[2] ? Number(m[2]) : 4,
      denoise: -1,
      inputBlob: 'data',
      outputBlob: 'output',
      pad: 10,
      padMode: 'reflect',
      alignment: 1,
      residual: 'none',
      tileSafe: true,
      tool: 'realesrgan-ncnn-vulkan',
      licence: 'BSD-3-Clause (Real-ESRGAN)',
    };
  }
  m = REALCUGAN.exec(name);
  if (m && /^models-(se|pro|nose)$/.test(folder)) {
    const scale = Number(m[1]);
    return {
      id: `realcugan-${folder === 'models-se' ? '' : `${folder.slice(7)}-`}${name}`,
      family: 'realcugan',
      scale,
      denoise: m[2] === 'conservative' ? 'conservative' : m[3] ? Number(m[3]) : -1,
      inputBlob: 'in0',
      outputBlob: 'out0',
      pad: { 2: 18, 3: 14, 4: 19 }[scale]!,
      padMode: 'reflect',
      alignment: scale === 3 ? 4 : 2,
      residual: scale === 4 ? 'nearest' : 'none',
      tileSafe: folder === 'models-nose',
      tool: 'realcugan-ncnn-vulkan',
      licence: 'MIT (Real-CUGAN)',
    };
  }
  m = WAIFU2X.exec(name);
  const cunet = folder === 'models-cunet';
  const upconv = /^models-upconv_7_(anime_style_art_rgb|photo)$/.test(folder);
  if (m && (cunet || upconv) && (m[1] !== undefined || m[2] !== undefined)) {
    const scale = m[2] ? 2 : 1;
    const noise = m[1] === undefined ? -1 : Number(m[1]);
    if (upconv && scale !== 2) return undefined;
    const net = cunet ? 'cunet' : folder.endsWith('photo') ? 'upconv7-photo' : 'upconv7';
    return {
      id: `waifu2x-${net}-${noise >= 0 ? `noise${noise}-` : ''}${scale}x`,
      family: cunet ? 'waifu2x-cunet' : 'waifu2x-upconv7',
      scale,
      denoise: noise,
      inputBlob: 'Input1',
      outputBlob: 'Eltwise4',
      pad: upconv ? 7 : scale === 1 ? 28 : 18,
      padMode: 'replicate',
      // waifu2x-ncnn-vulkan pads right/bottom to even sizes at 2× and to multiples of 4 at 1×, whatever the model.
      alignment: scale === 1 ? 4 : 2,
      residual: 'none',
      tileSafe: upconv,
      tool: 'waifu2x-ncnn-vulkan',
      licence: 'MIT (waifu2x)',
    };
  }
  return undefined;
}

/**
 * The profile of a model id (`realcugan-up2x-conservative`, `waifu2x-cunet-noise1-2x`, …), for
 * files whose names the tools would not use; undefined for an unknown id.
 */
export function profileForId(id: string): NcnnProfile | undefined {
  let m = /^realcugan-(?:(pro|nose)-)?(up[234]x-.+)$/.exec(id);
  if (m) return recogniseNcnnModel(`models-${m[1] ?? 'se'}/${m[2]}.param`);
  m = /^waifu2x-(cunet|upconv7-photo|upconv7)-(?:noise([0-3])-)?([12])x$/.exec(id);
  if (m) {
    const folder = m[1] === 'cunet' ? 'models-cunet' : m[1] === 'upconv7' ? 'models-upconv_7_anime_style_art_rgb' : 'models-upconv_7_photo';
    const name = `${m[2] !== undefined ? `noise${m[2]}_` : ''}${m[3] === '2' ? 'scale2.0x_' : ''}model`;
    return recogniseNcnnModel(`${folder}/${name}.param`);
  }
  return recogniseNcnnModel(`${id}.param`);
}
