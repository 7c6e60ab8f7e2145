import { UpframeError, isUpframeError, type TensorLayout } from '@upframe/core';
import { prepareCatalogModel, type PreparedCatalogModel } from './catalog-model-loader.js';
import { damagedWarning } from './model-cache.js';
import { LOAD_HINTS } from './session-factory.js';
import type { OpenedSession } from './session-opener.js';

/** Opens a prepared model: in this thread or in the inference worker, the caller decides. */
export type OpenPrepared = (prepared: PreparedCatalogModel) => Promise<OpenedSession>;

async function prepare(id: string, cacheDir: string, layout: TensorLayout, rebuild: boolean, log: (message: string) => void): Promise<PreparedCatalogModel> {
  const started = performance.now();
  const prepared = await prepareCatalogModel(id, cacheDir, layout, rebuild);
  const where = typeof prepared.model === 'string' ? prepared.model : 'memory';
  const took = (performance.now() - started).toFixed(0);
  log(`onnx: ${id} ${prepared.cacheHit ? 'taken from the ONNX cache' : 'converted to ONNX'} (${took} ms, ${where})`);
  return prepared;
}

/** The user never gave this file, so the error speaks of upframe's conversion, never of "your ONNX file". */
function conversionFailed(id: string, error: UpframeError): UpframeError {
  return new UpframeError('MODEL_INVALID', `the conversion of catalog model ${id} to ONNX failed: ${error.message}`, { cause: error, file: error.file, hint: LOAD_HINTS.catalog });
}

const withWarnings = (opened: OpenedSession, warnings: readonly string[]): OpenedSession => ({ ...opened, warnings: [...warnings, ...opened.warnings] });

/**
 * Converts (or takes from the cache) catalog model `id` and opens it. A cached conversion that
 * onnxruntime rejects is deleted, converted again and opened once more: its checksum can pass while
 * the file is still bad (a corrupt `.onnx` whose sidecar was rewritten to match it). Entries from
 * before checksums never get here as hits: the cache checks them against a fresh conversion. A
 * fresh conversion that fails is not retried: converting again would give the same bytes.
 */
export async function openCatalogModel(id: string, cacheDir: string, layout: TensorLayout, open: OpenPrepared, log: (message: string) => void): Promise<OpenedSession> {
  const first = await prepare(id, cacheDir, layout, false, log);
  let rejected: UpframeError;
  try {
    return withWarnings(await open(first), first.warnings);
  } catch (error) {
    if (!isUpframeError(error, 'MODEL_INVALID')) throw error;
    if (!first.cacheHit) throw conversionFailed(id, error);
    rejected = error;
  }
  const second = await prepare(id, cacheDir, layout, true, log);
  // A cache hit is always a path, never bytes in memory.
  const repaired = damagedWarning(first.model as string, rejected.message);
  try {
    return withWarnings(await open(second), [repaired, ...second.warnings]);
  } catch (error) {
    throw isUpframeError(error, 'MODEL_INVALID') ? conversionFailed(id, error) : error;
  }
}
