import { readFileSync } from 'node:fs';
import { readNcnnModel } from '../ncnn-model.js';
import { recogniseNcnnModel, type NcnnProfile } from '../ncnn-profiles.js';
import { ncnnToOnnx, type NcnnConversion } from '../ncnn-to-onnx.js';
import { finishFrame, prepareFrame } from '../profile-frame.js';
import { runOnnx } from './run-converted.js';

export interface ImportedModel {
  readonly profile: NcnnProfile;
  readonly conversion: NcnnConversion;
}

/** Reads, recognises and converts `path.param` (with the `.bin` beside it). */
export function importModel(paramPath: string): ImportedModel {
  const profile = recogniseNcnnModel(paramPath);
  if (!profile) throw new Error(`${paramPath}: not recognised`);
  const binPath = paramPath.replace(/\.param$/, '.bin');
  const model = readNcnnModel(readFileSync(paramPath, 'utf8'), readFileSync(binPath), paramPath, binPath);
  return { profile, conversion: ncnnToOnnx(model, { outputBlob: profile.outputBlob }) };
}

/** Upscales an RGB8 frame whole (no tiles) the way the profile's tool does on its CPU path. */
export async function upscaleRgb(m: ImportedModel, rgb: Uint8Array, w: number, h: number): Promise<Uint8Array> {
  const input = prepareFrame(rgb, w, h, m.profile);
  const out = await runOnnx(m.conversion.onnx, input);
  return finishFrame(out, input, w, h, m.profile, m.conversion.geometry.shrink);
}
