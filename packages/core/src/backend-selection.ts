import type { DependencyContainer } from 'tsyringe';
import { autoCandidates, deviceKind, modelFormatOf, type AutoCandidate } from './auto-candidates.js';
import type { BackendOptions, InferenceBackend } from './contracts/inference-backend.js';
import { cancelledError, isUpframeError, tagPluginError, UpframeError } from './errors.js';
import type { BackendRegistry } from './registry.js';

/** What `--backend auto` is asked to run: the backend options, plus the model's format when known. */
export interface SelectionRequest extends BackendOptions {
  /**
   * The model's format (`onnx`, `tfjs-layers`): candidates whose `capabilities().modelFormats`
   * lack it are skipped. Defaults to what the file name says; unknown for catalog ids.
   */
  readonly modelFormat?: string;
}

export const ATTEMPT_STATUSES = ['ok', 'failed', 'skipped'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** One candidate tried (or skipped) by `--backend auto`, as the report and `upframe backends` show it. */
export interface BackendAttempt {
  readonly backend: string;
  /** The device the backend was asked for. */
  readonly device: string;
  readonly priority: number;
  readonly status: AttemptStatus;
  /** Why it failed or was skipped. */
  readonly reason?: string;
  /** The error code of a failure, and its advice when it gave some. */
  readonly code?: string;
  readonly hint?: string;
  /** Where it runs and on what, when it initialised (`cpu`, `onnxruntime-node cpu`). */
  readonly ranOn?: string;
  readonly provider?: string;
}

export interface BackendSelection {
  /** The chosen backend, initialised; the caller owns it (and disposes it). */
  readonly backend: InferenceBackend;
  readonly candidate: AutoCandidate;
  /** Every candidate tried, in order, the chosen one last. */
  readonly attempts: readonly BackendAttempt[];
}

export interface SelectionOptions {
  readonly signal?: AbortSignal;
  /** Called after each candidate, so a caller keeps the attempts even when every one fails. */
  readonly onAttempt?: (attempt: BackendAttempt) => void;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function disposeQuietly(backend: InferenceBackend): Promise<void> {
  // A backend that failed half-way may fail again on dispose; the failure already tells why.
  await backend.dispose().catch(() => undefined);
}

/**
 * Creates and initialises one candidate. Resolves to the attempt and, when it is usable, the
 * initialised backend; anything it rejects (wrong model format, failed init, initialised on
 * another kind of device than asked) is disposed. Throws only `CANCELLED`.
 */
export async function tryCandidate(
  registry: BackendRegistry,
  container: DependencyContainer,
  candidate: AutoCandidate,
  request: SelectionRequest,
  signal?: AbortSignal,
): Promise<{ attempt: BackendAttempt; backend?: InferenceBackend }> {
  const base = { backend: candidate.backend, device: candidate.device, priority: candidate.priority };
  const failed = (error: unknown): { attempt: BackendAttempt } => {
    const tagged = tagPluginError(candidate.backend, error);
    return { attempt: { ...base, status: 'failed', reason: reasonOf(tagged), code: tagged.code, ...(tagged.hint ? { hint: tagged.hint } : {}) } };
  };
  if (signal?.aborted) throw cancelledError(signal.reason);
  const { modelFormat, ...options } = request;
  let backend: InferenceBackend;
  try {
    backend = registry.get(candidate.backend).create(container, { ...options, device: candidate.device });
  } catch (error) {
    return failed(error);
  }
  const format = modelFormat ?? modelFormatOf(request.model);
  const formats = backend.capabilities().modelFormats;
  if (format !== undefined && !formats.includes(format)) {
    await disposeQuietly(backend);
    return { attempt: { ...base, status: 'skipped', reason: `runs ${formats.join(', ') || 'no'} models; ${request.model} is ${format}` } };
  }
  try {
    await backend.initialize(signal);
  } catch (error) {
    await disposeQuietly(backend);
    if (signal?.aborted || isUpframeError(error, 'CANCELLED')) throw cancelledError(signal?.reason ?? error);
    return failed(error);
  }
  if (signal?.aborted) {
    await disposeQuietly(backend);
    throw cancelledError(signal.reason);
  }
  const info = backend.info();
  // A candidate is a promise about the device: "onnx on CUDA" that quietly ran on the CPU would
  // take the place of a better CPU candidate further down.
  if (candidate.device !== 'auto' && deviceKind(info.device) !== deviceKind(candidate.device)) {
    await disposeQuietly(backend);
    return { attempt: { ...base, status: 'failed', reason: `initialised on ${info.device}, not on ${candidate.device}`, ranOn: info.device, provider: info.provider } };
  }
  return { attempt: { ...base, status: 'ok', ranOn: info.device, provider: info.provider }, backend };
}

/** `onnx on cuda: device cuda is unavailable: … [DEVICE_UNAVAILABLE]`. */
export function describeAttempt(a: BackendAttempt): string {
  const what = `${a.backend} on ${a.device}`;
  if (a.status === 'ok') return `${what}: usable (${a.provider ?? '?'} on ${a.ranOn ?? '?'})`;
  return `${what}: ${a.status === 'skipped' ? 'skipped, ' : ''}${a.reason ?? 'unknown reason'}${a.code ? ` [${a.code}]` : ''}`;
}

/**
 * `--backend auto`: tries every candidate of {@link autoCandidates} in priority order and
 * returns the first that initialises, with the attempts before it. Throws one
 * `BACKEND_UNAVAILABLE` listing every candidate's failure when none does, and `CANCELLED` as
 * soon as `signal` aborts.
 */
export async function selectBackend(
  registry: BackendRegistry,
  container: DependencyContainer,
  request: SelectionRequest,
  options: SelectionOptions = {},
): Promise<BackendSelection> {
  const candidates = autoCandidates(registry, request.device);
  const attempts: BackendAttempt[] = [];
  for (const candidate of candidates) {
    const { attempt, backend } = await tryCandidate(registry, container, candidate, request, options.signal);
    attempts.push(attempt);
    options.onAttempt?.(attempt);
    if (backend) return { backend, candidate, attempts };
  }
  const list = attempts.length ? attempts.map((a) => `\n  - ${describeAttempt(a)}`).join('') : ` no backend is registered for device ${request.device}`;
  throw new UpframeError('BACKEND_UNAVAILABLE', `no backend could run ${request.model} on device ${request.device}:${list}`, {
    hint: 'Each line says why one candidate could not run, best first: fix the one you want, check this machine with `upframe backends`, or choose one with --backend <name>.',
  });
}

/**
 * Tries every candidate, including the ones after the first usable one, and disposes each: what
 * `upframe backends` shows. Throws only `CANCELLED`.
 */
export async function probeCandidates(
  registry: BackendRegistry,
  container: DependencyContainer,
  request: SelectionRequest,
  signal?: AbortSignal,
): Promise<BackendAttempt[]> {
  const attempts: BackendAttempt[] = [];
  for (const candidate of autoCandidates(registry, request.device)) {
    const { attempt, backend } = await tryCandidate(registry, container, candidate, request, signal);
    if (backend) await disposeQuietly(backend);
    attempts.push(attempt);
  }
  return attempts;
}
