import { UpframeError } from '@upframe/core';
import type { ExecutionPlan } from './execution-providers.js';
import type { ModelSpec } from './model-spec.js';
import { SessionRunner, type BatchRunner } from './session-runner.js';
import { createSession, type ModelOrigin } from './session-factory.js';
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
}

export interface OpenedSession {
  readonly runner: BatchRunner;
  readonly spec: ModelSpec;
  readonly plan: ExecutionPlan;
  readonly warnings: readonly string[];
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
  const created = await createSession(ort, req.model, req.plan, req.threads, req.label, req.origin);
  const session = created.session;
  const spec = req.spec ?? (await describeUserModel(ort, session, req.label, req.hints ?? {}).catch(async (error: unknown) => {
    await session.release();
    throw error;
  }));
  return { runner: new SessionRunner(ort, session, spec), spec, plan: created.plan, warnings: created.warnings };
}
