import { dirname, resolve } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { UpframeError } from '@upframe/core';
import { readModelText, readWeightShard } from '@upframe/models';

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths?: unknown; weights?: unknown }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

function invalid(file: string, why: string, cause?: unknown): UpframeError {
  return new UpframeError('MODEL_INVALID', `${file}: ${why}`, { file, cause, hint: 'Pass a TF.js layers model.json with its .bin shards beside it, or a catalog id (upframe models).' });
}

function parse(text: string, file: string): ModelJson {
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (error) {
    throw invalid(file, `not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw invalid(file, 'has no modelTopology; it is not a TF.js layers model');
  }
  if (!Array.isArray(json.weightsManifest)) throw invalid(file, 'has no weightsManifest list');
  for (const group of json.weightsManifest) {
    if (!Array.isArray(group?.paths) || !group.paths.every((p) => typeof p === 'string') || !Array.isArray(group.weights)) {
      throw invalid(file, 'a weightsManifest group needs "paths" and "weights" lists');
    }
  }
  return json;
}

/**
 * A tfjs `IOHandler` that reads a layers model.json and its weight shards from disk, so no
 * `file://` handler (tfjs-node only) or fetch is needed. Shards are concatenated in manifest
 * order, which is how tfjs lays weights out in `weightData`.
 */
export function fileModelHandler(modelJson: string): io.IOHandler {
  const file = resolve(modelJson);
  return {
    async load(): Promise<io.ModelArtifacts> {
      const json = parse(await readModelText(file), file);
      const groups = json.weightsManifest!;
      const shards = await Promise.all(groups.flatMap((g) => (g.paths as string[]).map((p) => readWeightShard(file, resolve(dirname(file), p)))));
      const bytes = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology as object,
        weightSpecs: groups.flatMap((g) => g.weights as io.WeightsManifestEntry[]),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
      };
    },
  };
}
