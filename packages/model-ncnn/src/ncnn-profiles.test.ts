import { describe, expect, it } from 'vitest';
import { profileForId, recogniseNcnnModel } from './ncnn-profiles.js';

describe('recogniseNcnnModel', () => {
  it.each([
    ['models/realesr-animevideov3-x2.param', 'realesr-animevideov3-x2', 'realesrgan', 2, -1, 10, 'reflect', true],
    ['x/realesr-animevideov3-x3.param', 'realesr-animevideov3-x3', 'realesrgan', 3, -1, 10, 'reflect', true],
    ['models/realesrgan-x4plus-anime.param', 'realesrgan-x4plus-anime', 'realesrgan', 4, -1, 10, 'reflect', true],
    ['models-se/up2x-conservative.param', 'realcugan-up2x-conservative', 'realcugan', 2, 'conservative', 18, 'reflect', false],
    ['a/models-se/up3x-denoise3x.param', 'realcugan-up3x-denoise3x', 'realcugan', 3, 3, 14, 'reflect', false],
    ['models-se/up4x-no-denoise.param', 'realcugan-up4x-no-denoise', 'realcugan', 4, -1, 19, 'reflect', false],
    ['models-pro/up2x-denoise1x.param', 'realcugan-pro-up2x-denoise1x', 'realcugan', 2, 1, 18, 'reflect', false],
    ['models-cunet/scale2.0x_model.param', 'waifu2x-cunet-2x', 'waifu2x-cunet', 2, -1, 18, 'replicate', false],
    ['models-cunet/noise2_scale2.0x_model.param', 'waifu2x-cunet-noise2-2x', 'waifu2x-cunet', 2, 2, 18, 'replicate', false],
    ['models-cunet/noise0_model.param', 'waifu2x-cunet-noise0-1x', 'waifu2x-cunet', 1, 0, 28, 'replicate', false],
    ['models-upconv_7_anime_style_art_rgb/noise1_scale2.0x_model.param', 'waifu2x-upconv7-noise1-2x', 'waifu2x-upconv7', 2, 1, 7, 'replicate', true],
    ['models-upconv_7_photo/scale2.0x_model.param', 'waifu2x-upconv7-photo-2x', 'waifu2x-upconv7', 2, -1, 7, 'replicate', true],
  ])('%s → %s', (path, id, family, scale, denoise, pad, padMode, tileSafe) => {
    expect(recogniseNcnnModel(path)).toMatchObject({ id, family, scale, denoise, pad, padMode, tileSafe });
  });

  it('Real-CUGAN 4× adds the nearest-upscaled input; the others do not', () => {
    expect(recogniseNcnnModel('models-se/up4x-conservative.param')!.residual).toBe('nearest');
    expect(recogniseNcnnModel('models-se/up2x-conservative.param')!.residual).toBe('none');
  });

  it.each(['models/other.param', 'elsewhere/up2x-conservative.param', 'models-cunet/foo_model.param', 'models-upconv_7_photo/noise1_model.param', 'models-cunet/model.param'])(
    '%s is not recognised',
    (path) => expect(recogniseNcnnModel(path)).toBeUndefined(),
  );
});

describe('profileForId', () => {
  it.each([
    'realesr-animevideov3-x3',
    'realesrgan-x4plus-anime',
    'realcugan-up2x-conservative',
    'realcugan-up4x-denoise3x',
    'realcugan-pro-up3x-no-denoise',
    'waifu2x-cunet-2x',
    'waifu2x-cunet-noise2-1x',
    'waifu2x-upconv7-noise1-2x',
    'waifu2x-upconv7-photo-2x',
  ])('%s round-trips to its own profile', (id) => expect(profileForId(id)?.id).toBe(id));

  it.each(['esrgan-slim-x2', 'realcugan-up5x-conservative', 'waifu2x-upconv7-1x'])('%s has none', (id) => expect(profileForId(id)).toBeUndefined());
});
