import sharp from 'sharp';
import type { Image } from '@upframe/core';
import { requireInstalledModel } from '@upframe/models';

/** An RGB crop of a real picture: esrgan-slim's fixture (128×128) or one of its sample results. */
export async function realCrop(opts: { width: number; height: number; left?: number; top?: number; picture?: 'fixture' | 'sample' }): Promise<Image> {
  const paths = requireInstalledModel('esrgan-slim-x2').paths;
  const file = opts.picture === 'sample' ? paths.sampleResult! : paths.fixture!;
  const { data, info } = await sharp(file)
    .removeAlpha()
    .extract({ left: opts.left ?? 0, top: opts.top ?? 0, width: opts.width, height: opts.height })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}
