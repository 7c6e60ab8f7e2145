import { readFile } from 'node:fs/promises';
import { UpframeError } from '@upframe/core';
import { withByteIo } from '@upframe/model-ncnn';
import type { ExecutionPlan } from './execution-providers.js';
import type { ModelSpec } from './model-spec.js';
import { SessionRunner, type BatchRunner } from './session-runner.js';
import { createSession, type ModelOrigin, type SessionTuning } from './session-factory.js';
import type { UserModelHints } from './user-model-hints.js';
import { describeUserModel } from './user-onnx-model.js';

type Ort = typeof import('onnxruntime-node');

/** What opening a session needs; plain data, so it can be posted to the inference worker. */
export interface OpenRequest {
  readonly model: string | Uint8Array;
  /** Catalog id or user model path, for messages. */
  readonly label: string;
  readonly origin: ModelOrigin;
  readonly plan: ExecutionPlan;
  readonly threads: number;
  /** Known for catalog models; a user model's spec is read from its session. */
  readonly spec?: ModelSpec;
  readonly hints?: UserModelHints;
  /**
   * Convert 8-bit pixels inside the graph (uint8 in and out) when the model allows it: on by
   * default; `false` (backend option `pixelsInGraph=false`) keeps the JS pixel codec.
   */
  readonly pixelsInGraph?: boolean;
  readonly tuning?: SessionTuning;
}

export interface OpenedSession {
  readonly runner: BatchRunner;
  readonly spec: ModelSpec;
  readonly plan: ExecutionPlan;
  readonly warnings: readonly string[];
  /** True when 8-bit frames are converted inside the graph (uint8 in and out). */
  readonly pixelsInGraph: boolean;
}

/** Loads onnxruntime-node on first use only: importing it at module load would break lazy loading. */
export async function importOrt(): Promise<Ort> {
  try {
    return await import('onnxruntime-node');
  } catch (error) {
    throw new UpframeError('BACKEND_INIT_FAILED', `cannot load onnxruntime-node: ${(error as Error).message}`, {
      cause: error,
      hint: 'Reinstall your dependencies (npm ci); onnxruntime-node ships native binaries for linux x64/arm64, macOS and Windows.',
    });
  }
}

export async function openSession(ort: Ort, req: OpenRequest): Promise<OpenedSession> {
  const byteIo = req.spec && req.pixelsInGraph !== false ? await openByteSession(ort, req, req.spec) : undefined;
  if (byteIo?.session) {
    const plan = byteIo.session.plan;
    // 16-bit frames need the float graph; it is opened on the plan that worked, on first use only.
    const openFloat = async () => (await createSession(ort, req.model, plan, req.threads, req.label, req.origin, req.tuning)).session;
    return { runner: new SessionRunner(ort, { bytes: byteIo.session.session, openFloat }, req.spec!), spec: req.spec!, plan, warnings: byteIo.session.warnings, pixelsInGraph: true };
  }
  const created = await createSession(ort, req.model, req.plan, req.threads, req.label, req.origin, req.tuning);
  const session = created.session;
  const spec = req.spec ?? (await describeUserModel(ort, session, req.label, req.hints ?? {}).catch(async (error: unknown) => {
    await session.release();
    throw error;
  }));
  const warnings = byteIo?.failure ? [`pixel conversion inside the graph is unavailable for ${req.label} (${byteIo.failure}); converting pixels in JS instead`, ...created.warnings] : created.warnings;
  return { runner: new SessionRunner(ort, { float: session }, spec), spec, plan: created.plan, warnings, pixelsInGraph: false };
}

/**
 * The model wrapped to take and give uint8 pixels, opened. Undefined when it cannot be wrapped
 * (opset below 8, input or output not found); `failure` when the wrapped graph did not load
 * although the model may: the caller then opens the model as it is, which reports the model's own
 * problem if it has one.
 */
async function openByteSession(ort: Ort, req: OpenRequest, spec: ModelSpec): Promise<{ session?: Awaited<ReturnType<typeof createSession>>; failure?: string } | undefined> {
  const bytes = typeof req.model === 'string' ? await readFile(req.model).catch(() => undefined) : req.model;
  if (!bytes) return undefined;
  let wrapped: Uint8Array | undefined;
  try {
    wrapped = withByteIo(bytes, spec);
  } catch {
    // Bytes that do not parse: opening the model as it is reports that with the right advice.
    return undefined;
  }
  if (!wrapped) return undefined;
  try {
    return { session: await createSession(ort, wrapped, req.plan, req.threads, req.label, req.origin, req.tuning) };
  } catch (error) {
    if (error instanceof UpframeError && error.code !== 'MODEL_INVALID') throw error;
    return { failure: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}
