import { UpframeError } from '@upframe/core';

/** The first line of every text `.param` file. */
export const NCNN_PARAM_MAGIC = 7767517;

/** A parameter value: a number (int or float as written) or an array (`-23300-id=n,a,b,…`). */
export type NcnnParamValue = number | readonly number[];

export interface NcnnLayer {
  readonly type: string;
  readonly name: string;
  readonly bottoms: readonly string[];
  readonly tops: readonly string[];
  /** Keyed by the parameter id; array params under their plain id (`-23310=…` → 10). */
  readonly params: ReadonlyMap<number, NcnnParamValue>;
  /** 1-based line in the `.param` file, for messages. */
  readonly line: number;
}

export interface NcnnParam {
  readonly layers: readonly NcnnLayer[];
  readonly blobCount: number;
}

const ARRAY_ID_BASE = -23300;

function invalid(file: string, line: number, why: string): UpframeError {
  return new UpframeError('MODEL_INVALID', `${file}:${line}: not a valid ncnn .param file: ${why}`, {
    file,
    hint: 'Check that the file is an ncnn text .param (first line 7767517) and not truncated or edited.',
  });
}

// ncnn reads a value as float when it contains '.', 'e' or 'E' (paramdict.cpp vstr_is_float).
function parseScalar(text: string, file: string, line: number): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw invalid(file, line, `"${text}" is not a number`);
  if (!/[.eE]/.test(text) && !Number.isInteger(value)) throw invalid(file, line, `"${text}" is not an integer`);
  return value;
}

function parseParamToken(token: string, file: string, line: number): [number, NcnnParamValue] {
  const eq = token.indexOf('=');
  if (eq <= 0) throw invalid(file, line, `expected key=value, found "${token}"`);
  const key = Number(token.slice(0, eq));
  if (!Number.isInteger(key)) throw invalid(file, line, `parameter id "${token.slice(0, eq)}" is not an integer`);
  const raw = token.slice(eq + 1);
  if (key > ARRAY_ID_BASE) return [key, parseScalar(raw, file, line)];
  const [count, ...items] = raw.split(',');
  const n = parseScalar(count ?? '', file, line);
  if (items.length !== n) throw invalid(file, line, `array parameter ${key} says ${n} values but has ${items.length}`);
  return [-key + ARRAY_ID_BASE, items.map((item) => parseScalar(item, file, line))];
}

/** Parses the text form of an ncnn `.param` file. `file` names it in errors. */
export function parseNcnnParam(text: string, file = 'model.param'): NcnnParam {
  const lines = text.split(/\r?\n/);
  if (Number(lines[0]?.trim()) !== NCNN_PARAM_MAGIC) {
    throw invalid(file, 1, `the first line must be the magic number ${NCNN_PARAM_MAGIC}, found "${(lines[0] ?? '').slice(0, 40)}"`);
  }
  const counts = (lines[1] ?? '').trim().split(/\s+/).map(Number);
  const [layerCount, blobCount] = counts;
  if (counts.length !== 2 || !Number.isInteger(layerCount) || !Number.isInteger(blobCount) || layerCount! < 1 || blobCount! < 1) {
    throw invalid(file, 2, 'the second line must hold the layer count and the blob count');
  }
  const layers: NcnnLayer[] = [];
  for (let i = 2; i < lines.length; i++) {
    const tokens = lines[i]!.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    const line = i + 1;
    if (tokens.length < 4) throw invalid(file, line, 'a layer line needs type, name, bottom count and top count');
    const [type, name, nb, nt] = tokens as [string, string, string, string];
    const bottomCount = Number(nb);
    const topCount = Number(nt);
    if (!Number.isInteger(bottomCount) || !Number.isInteger(topCount) || bottomCount < 0 || topCount < 0) {
      throw invalid(file, line, `layer ${name}: bottom and top counts must be integers`);
    }
    const rest = tokens.slice(4);
    if (rest.length < bottomCount + topCount) throw invalid(file, line, `layer ${name} lists fewer blobs than its counts say`);
    const params = new Map<number, NcnnParamValue>();
    for (const token of rest.slice(bottomCount + topCount)) {
      const [key, value] = parseParamToken(token, file, line);
      params.set(key, value);
    }
    layers.push({
      type,
      name,
      bottoms: rest.slice(0, bottomCount),
      tops: rest.slice(bottomCount, bottomCount + topCount),
      params,
      line,
    });
  }
  if (layers.length !== layerCount) throw invalid(file, 2, `the header says ${layerCount} layers but the file has ${layers.length}`);
  const blobs = new Set(layers.flatMap((l) => [...l.bottoms, ...l.tops]));
  if (blobs.size > blobCount!) throw invalid(file, 2, `the header says ${blobCount} blobs but the layers name ${blobs.size}`);
  return { layers, blobCount: blobCount! };
}
