import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UpframeError } from '@upframe/core';
import type { LayersGraph, LayersModel, WeightDtype, WeightGroup, WeightSpec, WeightTensor } from './layers-model-types.js';
import { parseTopology } from './layers-topology.js';
import { decodeWeightGroup } from './weights-decoder.js';

/** model.json parsed, weights not yet loaded. */
export interface LayersModelJson {
  readonly file: string;
  readonly generatedBy?: string;
  readonly graph: LayersGraph;
  readonly weightGroups: readonly WeightGroup[];
}

const DTYPES: readonly WeightDtype[] = ['float32', 'float16', 'int32', 'uint8', 'uint16', 'bool'];

function invalid(file: string, why: string, cause?: unknown): UpframeError {
  return new UpframeError('MODEL_INVALID', `${file}: ${why}`, { file, cause });
}

function parseWeightSpec(raw: unknown, file: string): WeightSpec {
  const w = raw as Partial<WeightSpec> | null;
  if (!w || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalid(file, `weightsManifest entry ${JSON.stringify(raw)?.slice(0, 80)} needs a name and an integer shape`);
  }
  const dtype = (w.dtype ?? 'float32') as WeightDtype;
  if (!DTYPES.includes(dtype)) throw invalid(file, `weight "${w.name}" has unsupported dtype "${dtype}"`);
  return { name: w.name, shape: w.shape, dtype, quantization: w.quantization };
}

function parseManifest(raw: unknown, file: string): WeightGroup[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid(file, 'weightsManifest is not a list');
  return raw.map((g: { paths?: unknown; weights?: unknown }) => {
    if (!Array.isArray(g?.paths) || !g.paths.every((p) => typeof p === 'string') || !Array.isArray(g.weights)) {
      throw invalid(file, 'a weightsManifest group needs "paths" and "weights" lists');
    }
    return { paths: g.paths as string[], weights: g.weights.map((w) => parseWeightSpec(w, file)) };
  });
}

/** Parses the text of a model.json; `file` is used for messages and to resolve shard paths. */
export function parseLayersModelJson(text: string, file: string): LayersModelJson {
  let json: { modelTopology?: unknown; weightsManifest?: unknown; generatedBy?: unknown };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof json !== 'object' || json === null) throw invalid(file, 'not a JSON object');
  return {
    file,
    generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : undefined,
    graph: parseTopology(json.modelTopology, file),
    weightGroups: parseManifest(json.weightsManifest, file),
  };
}

/** Reads a model.json as text; a missing file is MODEL_NOT_FOUND naming it. */
export async function readModelText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UpframeError(missing ? 'MODEL_NOT_FOUND' : 'MODEL_INVALID', `cannot read model file ${file}: ${(error as Error).message}`, { file, cause: error });
  }
}

export async function readLayersModelJson(file: string): Promise<LayersModelJson> {
  const absolute = resolve(file);
  return parseLayersModelJson(await readModelText(absolute), absolute);
}

/** Absolute paths of every weight shard model.json lists, in manifest order. */
export function weightFiles(model: LayersModelJson): string[] {
  return model.weightGroups.flatMap((g) => g.paths.map((p) => resolve(dirname(model.file), p)));
}

/** Reads one weight shard listed by `modelFile`; an unreadable one is MODEL_INVALID naming both. */
export async function readWeightShard(modelFile: string, shard: string): Promise<Buffer> {
  try {
    return await readFile(shard);
  } catch (error) {
    throw new UpframeError('MODEL_INVALID', `${modelFile}: weights file ${shard} listed in its manifest cannot be read (${(error as Error).message})`, {
      file: shard,
      cause: error,
      hint: 'Keep the .bin shards next to model.json, or reinstall the model package.',
    });
  }
}

async function readShards(model: LayersModelJson, group: WeightGroup): Promise<Uint8Array> {
  const parts = await Promise.all(group.paths.map((p) => readWeightShard(model.file, resolve(dirname(model.file), p))));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Reads model.json and its weight shards into a typed graph plus float32 weights by name. */
export async function readLayersModel(file: string): Promise<LayersModel> {
  const json = await readLayersModelJson(file);
  const weights = new Map<string, WeightTensor>();
  for (const group of json.weightGroups) {
    for (const tensor of decodeWeightGroup(group, await readShards(json, group), json.file)) weights.set(tensor.name, tensor);
  }
  return { file: json.file, generatedBy: json.generatedBy, graph: json.graph, weights };
}
