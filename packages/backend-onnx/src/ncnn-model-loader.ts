import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UpframeError, isUpframeError } from '@upframe/core';
import { NCNN_CONVERTER_VERSION, ncnnToOnnx, profileForId, readNcnnModel, recogniseNcnnModel, type GraphPrecision, type NcnnProfile } from '@upframe/model-ncnn';
import { ARENA_OVERHEAD, type PreparedCatalogModel } from './catalog-model-loader.js';
import { cachedConversion, damagedWarning, sourceHash } from './model-cache.js';
import { ioBytesPerInputPixel } from './model-spec.js';
import type { OpenedSession } from './session-opener.js';

interface NcnnMeta {
  readonly flopsPerPixel: number;
  readonly activationBytesPerPixel: number;
  readonly tileSafe: boolean;
}

/**
 * The `.param` and the `.bin` beside it, checked to exist, and the tool profile: `profileId`
 * (backend option `modelProfile`) when given, else the one the file and folder names give.
 */
export function locateNcnnModel(model: string, profileId?: string): { paramFile: string; binFile: string; profile: NcnnProfile } {
  const paramFile = resolve(model);
  const binFile = paramFile.replace(/\.param$/i, '.bin');
  if (!existsSync(paramFile)) throw new UpframeError('MODEL_NOT_FOUND', `model file ${paramFile} does not exist`, { file: paramFile });
  if (!existsSync(binFile)) {
    throw new UpframeError('MODEL_NOT_FOUND', `${paramFile} needs its weights ${binFile} beside it, which does not exist`, {
      file: binFile,
      hint: 'Keep the .param and .bin of an ncnn model together, as the tools ship them.',
    });
  }
  if (profileId !== undefined) {
    const chosen = profileForId(profileId);
    if (!chosen) {
      throw new UpframeError('USAGE', `backend option modelProfile: "${profileId}" is not an ncnn model id upframe knows`, {
        hint: 'Use an id as `upframe models` or docs/models.md lists them, e.g. realesr-animevideov3-x2, realcugan-up2x-conservative, waifu2x-cunet-noise1-2x.',
      });
    }
    return { paramFile, binFile, profile: chosen };
  }
  const profile = recogniseNcnnModel(paramFile);
  if (!profile) {
    throw new UpframeError('MODEL_INPUT_MISMATCH', `${paramFile}: upframe cannot tell which tool's model this is from its file and folder names`, {
      file: paramFile,
      hint:
        'upframe knows the layouts of realesrgan-ncnn-vulkan (realesr-animevideov3-x2.param, realesrgan-x4plus-anime.param), ' +
        'realcugan-ncnn-vulkan (models-se/up2x-conservative.param) and waifu2x-ncnn-vulkan (models-cunet/noise1_scale2.0x_model.param, ' +
        'models-upconv_7_anime_style_art_rgb/scale2.0x_model.param); keep those names, or name the profile: --backend-opt modelProfile=realcugan-up2x-conservative.',
    });
  }
  return { paramFile, binFile, profile };
}

/** Converts (or takes from the cache) an ncnn model with its tool profile built into the graph; fp16 graphs are cached apart. */
export async function prepareNcnnModel(
  model: string,
  cacheDir: string,
  rebuild = false,
  profileId?: string,
  precision: GraphPrecision = 'fp32',
): Promise<PreparedCatalogModel & { readonly profile: NcnnProfile }> {
  const { paramFile, binFile, profile } = locateNcnnModel(model, profileId);
  const hash = await sourceHash([paramFile, binFile], `ncnn-to-onnx/${NCNN_CONVERTER_VERSION}/${profile.id}/${precision}`);
  const cached = await cachedConversion<NcnnMeta>(
    cacheDir,
    precision === 'fp16' ? `ncnn-${profile.id}-fp16` : `ncnn-${profile.id}`,
    hash,
    async () => {
      const read = readNcnnModel(await readFile(paramFile, 'utf8'), await readFile(binFile), paramFile, binFile);
      const converted = ncnnToOnnx(read, { profile, precision });
      const { flopsPerPixel, activationBytesPerPixel } = converted.geometry;
      return { bytes: converted.onnx, meta: { flopsPerPixel, activationBytesPerPixel, tileSafe: converted.tileSafe } };
    },
    { rebuild },
  );
  const { meta } = cached;
  const files = await Promise.all([paramFile, binFile].map(async (path) => ({ path, sha256: createHash('sha256').update(await readFile(path)).digest('hex') })));
  return {
    profile,
    model: cached.model,
    cacheHit: cached.hit,
    warnings: cached.warnings,
    spec: {
      id: profile.id,
      scale: profile.scale,
      inputName: 'input',
      outputName: 'output',
      layout: 'nchw',
      inputDtype: 'float32',
      outputDtype: 'float32',
      inputRange: [0, 1],
      outputRange: [0, 1],
      bytesPerInputPixel: Math.ceil(meta.activationBytesPerPixel * ARENA_OVERHEAD + ioBytesPerInputPixel(profile.scale)),
      flopsPerInputPixel: meta.flopsPerPixel,
      tileSafe: meta.tileSafe,
      family: profile.family,
      files,
    },
  };
}

/** Opens an ncnn model; a cached conversion onnxruntime rejects is converted again once. */
export async function openNcnnModel(
  model: string,
  cacheDir: string,
  profileId: string | undefined,
  open: (prepared: PreparedCatalogModel) => Promise<OpenedSession>,
  log: (message: string) => void,
  precision: GraphPrecision = 'fp32',
): Promise<OpenedSession> {
  const first = await prepareNcnnModel(model, cacheDir, false, profileId, precision);
  log(`onnx: ${first.profile.id} (${first.profile.family}, ${precision}) ${first.cacheHit ? 'taken from the ONNX cache' : 'converted from ncnn to ONNX'}`);
  try {
    const opened = await open(first);
    return { ...opened, warnings: [...first.warnings, ...opened.warnings] };
  } catch (error) {
    if (!isUpframeError(error, 'MODEL_INVALID') || !first.cacheHit) throw error;
    const second = await prepareNcnnModel(model, cacheDir, true, profileId, precision);
    const opened = await open(second);
    return { ...opened, warnings: [damagedWarning(first.model as string, error.message), ...second.warnings, ...opened.warnings] };
  }
}
