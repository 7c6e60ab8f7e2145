import type { DependencyContainer } from 'tsyringe';
import { AUTO_BACKEND } from './auto-candidates.js';
import { selectBackend, type BackendAttempt, type BackendSelection, type SelectionRequest } from './backend-selection.js';
import type { BackendCapabilities, BackendInitInfo, BackendOptions, InferenceBackend } from './contracts/inference-backend.js';
import { UpframeError } from './errors.js';
import type { Image } from './frame.js';
import { silentLogger, type Logger } from './logger.js';
import { nvidiaDriverPresent } from './nvidia-driver.js';
import type { BackendRegistry } from './registry.js';
import { TOKENS } from './tokens.js';

/** What the run report keeps of an `auto` selection (`report.details.backendSelection`). */
export interface BackendSelectionSummary {
  /** The chosen backend and the device it was asked for; `null` when none initialised. */
  readonly chosen: { readonly backend: string; readonly device: string } | null;
  readonly attempts: readonly BackendAttempt[];
}

/**
 * `--backend auto` as a backend: `initialize()` runs {@link selectBackend} and everything else
 * goes to the backend it chose. Choosing inside `initialize()` keeps the pipeline's order (the
 * input is opened and checked before seconds of runtime start-up) and its lifecycle (the
 * pipeline disposes the chosen backend however the run ends). Before the choice `name` is
 * `auto`, so an error while choosing is tagged `auto`; after it, the chosen backend's name.
 */
export class AutoBackend implements InferenceBackend {
  private selection?: BackendSelection;
  private selecting?: Promise<BackendSelection>;
  private readonly attempts: BackendAttempt[] = [];

  constructor(
    private readonly registry: BackendRegistry,
    private readonly container: DependencyContainer,
    private readonly request: SelectionRequest,
    private readonly logger: Logger = silentLogger,
  ) {}

  get name(): string {
    return this.selection?.backend.name ?? AUTO_BACKEND;
  }

  get scale(): number {
    return this.ready().scale;
  }

  /** The chosen backend once `initialize()` resolved. */
  get chosen(): InferenceBackend | undefined {
    return this.selection?.backend;
  }

  /** What was tried and what was chosen so far (complete once `initialize()` settled). */
  get summary(): BackendSelectionSummary {
    const c = this.selection?.candidate;
    return { chosen: c ? { backend: c.backend, device: c.device } : null, attempts: [...this.attempts] };
  }

  capabilities(): BackendCapabilities {
    // Unknown until a candidate is chosen; nothing reads them before initialize() in a run.
    return this.selection?.backend.capabilities() ?? { devices: [], modelFormats: [], maxBatch: 1 };
  }

  async initialize(signal?: AbortSignal): Promise<void> {
    if (this.selection) return;
    this.selecting ??= selectBackend(this.registry, this.container, this.request, { signal, onAttempt: (a) => this.attempts.push(a) });
    try {
      this.selection = await this.selecting;
    } finally {
      this.selecting = undefined;
    }
    const { candidate, attempts } = this.selection;
    // Without an NVIDIA driver a GPU candidate failing is no news; the report still lists every attempt.
    const gpuHere = nvidiaDriverPresent();
    const before = attempts.slice(0, -1).filter((a) => gpuHere || !a.device.startsWith('cuda')).map((a) => `${a.backend} on ${a.device}`);
    this.logger.info(
      `backend auto: using ${candidate.backend} on ${this.selection.backend.info().device}` +
        (before.length ? ` (not usable here: ${before.join(', ')}; the report and \`upframe backends\` say why)` : ''),
    );
  }

  info(): BackendInitInfo {
    return this.ready().info();
  }

  run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    return this.ready().run(images, signal);
  }

  async dispose(): Promise<void> {
    const chosen = this.selection?.backend ?? (await this.selecting?.catch(() => undefined))?.backend;
    this.selection = undefined;
    await chosen?.dispose();
  }

  private ready(): InferenceBackend {
    if (!this.selection) throw new UpframeError('INTERNAL', 'backend auto used before initialize()', { plugin: AUTO_BACKEND });
    return this.selection.backend;
  }
}

/**
 * The backend `--backend <name>` asks for: `auto` chooses by priority with fallback (see
 * {@link AutoBackend}); any other name is created exactly as the registry entry builds it. A
 * plugin that registers a backend named `auto` replaces the selection, as any later
 * registration replaces a built-in.
 */
export function createBackend(container: DependencyContainer, name: string, options: BackendOptions, hints: { modelFormat?: string } = {}): InferenceBackend {
  const registry = container.resolve(TOKENS.Backends);
  if (name !== AUTO_BACKEND || registry.has(name)) return registry.create(container, name, options);
  const logger = container.isRegistered(TOKENS.Logger, true) ? container.resolve(TOKENS.Logger) : silentLogger;
  return new AutoBackend(registry, container, { ...options, ...hints }, logger);
}

/** `{ backendSelection }` for the report when `backend` was chosen by `auto`, else `{}`. */
export function selectionDetails(backend: InferenceBackend): { backendSelection?: BackendSelectionSummary } {
  return backend instanceof AutoBackend ? { backendSelection: backend.summary } : {};
}
