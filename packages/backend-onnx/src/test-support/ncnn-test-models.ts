// A tiny ncnn model written where waifu2x-ncnn-vulkan keeps its own, for the ncnn loader tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A tiny waifu2x-upconv_7-shaped model (six unpadded 3×3 convolutions, then a stride-2 4×4
 * deconvolution with pads 3), written where waifu2x-ncnn-vulkan keeps it, so upframe recognises it.
 */
export function writeUpconvLike(dir: string): string {
  const folder = join(dir, 'models-upconv_7_anime_style_art_rgb');
  mkdirSync(folder, { recursive: true });
  const lines = ['Input input 0 1 x0 0=0 1=0 2=3'];
  const chunks: Buffer[] = [];
  let seed = 7;
  const rand = (n: number) => Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.4);
  const flagged = (v: number[]) => chunks.push(Buffer.alloc(4), Buffer.from(new Float32Array(v).buffer));
  for (let i = 1; i <= 6; i++) {
    lines.push(`Convolution c${i} 1 1 x${i - 1} x${i} 0=3 1=3 5=1 6=81 9=2 -23310=1,1.000000e-01`);
    flagged(rand(81));
    chunks.push(Buffer.from(new Float32Array(rand(3)).buffer));
  }
  lines.push('Deconvolution up 1 1 x6 Eltwise4 0=3 1=4 3=2 4=3 5=1 6=144');
  flagged(rand(144).map((v) => v + 0.03));
  chunks.push(Buffer.from(new Float32Array([0.5, 0.5, 0.5]).buffer));
  const param = join(folder, 'scale2.0x_model.param');
  writeFileSync(param, ['7767517', `${lines.length} ${lines.length}`, ...lines].join('\n') + '\n');
  writeFileSync(param.replace(/\.param$/, '.bin'), Buffer.concat(chunks));
  return param;
}
