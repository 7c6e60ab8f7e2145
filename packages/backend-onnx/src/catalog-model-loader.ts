import type { TensorLayout } from '@upframe/core';
import { readLayersModel, readLayersModelJson, requireInstalledModel, weightFiles } from '@upframe/models';
import { CONVERTER_VERSION, kerasToOnnx, type ConversionStats } from './keras-to-onnx.js';
import { cachedConversion, sourceHash } from './model-cache.js';
import { ioBytesPerInputPixel, type ModelSpec } from './model-spec.js';

/** What is stored beside a cached conversion, so a cache hit needs no conversion at all. */
interface ConversionMeta {
  readonly inputName: string;
  readonly outputName: string;
  readonly scale: number;
  readonly stats: ConversionStats;
}

export interface PreparedCatalogModel {
  /** Path of the cached .onnx, or its bytes. */
  readonly model: string | Uint8Array;
  readonly spec: ModelSpec;
  readonly cacheHit: boolean;
  readonly warnings: readonly string[];
}

/**
 * onnxruntime's arena rounds buffer sizes and keeps workspace around, so working memory exceeds
 * the activations' liveness peak. With 1.5×, the estimate is 1.0–1.3× the measured peak RSS growth
 * per input pixel (64×64 → 512×512 on CPU) of esrgan-slim-x2/x4 and esrgan-medium-x2/x4:
 * slightly high, which is the safe side for the batch sizer. It holds over many runs of one
 * session only because the memory pattern is off on CPU (session-factory.ts): with it, batched
 * tiles reached ~1.8× this estimate.
 */
export const ARENA_OVERHEAD = 1.5;

/** Converts (or takes from the cache) the catalog model `id` for onnxruntime; `rebuild` skips the cache entry. */
export async function prepareCatalogModel(id: string, cacheDir: string, layout: TensorLayout, rebuild = false): Promise<PreparedCatalogModel> {
  const entry = requireInstalledModel(id);
  const json = await readLayersModelJson(entry.paths.modelJson);
  const hash = await sourceHash([json.file, ...weightFiles(json)], `keras-to-onnx/${CONVERTER_VERSION}/${layout}`);
  const cached = await cachedConversion<ConversionMeta>(cacheDir, id, hash, async () => {
    const converted = kerasToOnnx(await readLayersModel(entry.paths.modelJson), { layout });
    const { inputName, outputName, scale, stats } = converted;
    return { bytes: converted.bytes, meta: { inputName, outputName, scale, stats } };
  }, { rebuild });
  const { meta } = cached;
  return {
    model: cached.model,
    cacheHit: cached.hit,
    warnings: cached.warnings,
    spec: {
      id,
      scale: meta.scale,
      inputName: meta.inputName,
      outputName: meta.outputName,
      layout,
      inputDtype: 'float32',
      outputDtype: 'float32',
      inputRange: entry.inputRange,
      outputRange: entry.outputRange,
      bytesPerInputPixel: Math.ceil(meta.stats.peakActivationBytesPerInputPixel * ARENA_OVERHEAD + ioBytesPerInputPixel(meta.scale)),
      flopsPerInputPixel: meta.stats.flopsPerInputPixel,
    },
  };
}
