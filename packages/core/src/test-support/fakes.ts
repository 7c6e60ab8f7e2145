import type { DedupeDecision, DedupeStrategy } from '../contracts/dedupe-strategy.js';
import type { FrameSink, SinkOpenInfo, SinkResult } from '../contracts/frame-sink.js';
import type { FrameSource, SourceInfo } from '../contracts/frame-source.js';
import type { BackendCapabilities, BackendInitInfo, InferenceBackend } from '../contracts/inference-backend.js';
import { cancelledError } from '../errors.js';
import { frameBytes, type Frame, type Image, type PixelLayout } from '../frame.js';

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError(signal.reason));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelledError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Frame i has every byte equal to `content(i)`, so outputs can be traced back to inputs. */
export class FakeSource implements FrameSource {
  readonly name = 'fake-source';
  produced = 0;
  disposed = false;
  stoppedEarly = false;

  constructor(
    readonly count: number,
    readonly opts: {
      width?: number; height?: number; layout?: PixelLayout; content?: (i: number) => number; delayMs?: () => number; failAt?: number; exact?: boolean; reportCount?: number;
      /** Frames carry decoder pts at 25 fps (40 ms in a 1 ms time base), so lost frames show as gaps. */
      decoderPts?: boolean;
      /** Source frames the "decoder" loses: never delivered, while the others keep their pts. */
      lose?: readonly number[];
    } = {},
  ) {}

  /** Source positions of the delivered frames: `count` of them, skipping the lost ones. */
  private get positions(): number[] {
    const out: number[] = [];
    for (let p = 0; out.length < this.count; p++) if (!this.opts.lose?.includes(p)) out.push(p);
    return out;
  }

  get width() {
    return this.opts.width ?? 4;
  }

  get height() {
    return this.opts.height ?? 3;
  }

  async open(): Promise<SourceInfo> {
    return {
      kind: 'video',
      path: 'fake.mp4',
      width: this.width,
      height: this.height,
      layout: this.opts.layout ?? 'rgb24',
      timeBase: { num: 1, den: 1000 },
      variableFrameRate: false,
      frameCount: this.opts.reportCount ?? this.count,
      frameCountExact: this.opts.exact ?? true,
      ...(this.opts.decoderPts ? { ptsOrigin: 'decoder' as const, frameRate: { num: 25, den: 1 } } : {}),
    };
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    const bytes = frameBytes(this.width, this.height, this.opts.layout ?? 'rgb24');
    const positions = this.positions;
    try {
      for (let i = 0; i < this.count; i++) {
        if (this.opts.delayMs) await sleep(this.opts.delayMs(), signal);
        if (signal?.aborted) throw cancelledError(signal.reason);
        if (i === this.opts.failAt) throw new Error(`decoder broke at ${i}`);
        const data = new Uint8Array(bytes).fill((this.opts.content ?? ((k) => k % 251))(i));
        this.produced++;
        yield { index: i, pts: positions[i] * 40, timeBase: { num: 1, den: 1000 }, width: this.width, height: this.height, layout: this.opts.layout ?? 'rgb24', data };
      }
    } finally {
      if (this.produced < this.count) this.stoppedEarly = true;
    }
  }

  async dispose() {
    this.disposed = true;
  }
}

/** Upscales by pixel repetition after a random delay, so batches complete out of order. */
export class FakeBackend implements InferenceBackend {
  readonly name: string = 'fake-backend';
  scale = 2;
  active = 0;
  maxActive = 0;
  calls = 0;
  disposed = false;
  batchSizes: number[] = [];

  constructor(readonly opts: { delayMs?: () => number; failOnFrameContent?: number; maxBatch?: number } = {}) {}

  capabilities(): BackendCapabilities {
    return { devices: ['cpu'], modelFormats: ['fake'], maxBatch: this.opts.maxBatch ?? 64 };
  }

  async initialize() {}

  info(): BackendInitInfo {
    return { device: 'cpu', provider: 'fake', model: { id: 'fake-x2', scale: this.scale }, warnings: [], bytesPerInputPixel: 100 };
  }

  async run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    this.calls++;
    this.batchSizes.push(images.length);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await sleep(this.opts.delayMs?.() ?? 0, signal);
      return images.map((im) => {
        if (im.data[0] === this.opts.failOnFrameContent) throw new Error(`model exploded on content ${im.data[0]}`);
        return upscaleNearest(im, this.scale);
      });
    } finally {
      this.active--;
    }
  }

  async dispose() {
    this.disposed = true;
  }
}

export function upscaleNearest(im: Image, s: number): Image {
  const out = new Uint8Array(im.width * s * im.height * s * im.channels);
  for (let y = 0; y < im.height * s; y++)
    for (let x = 0; x < im.width * s; x++)
      for (let c = 0; c < im.channels; c++) out[(y * im.width * s + x) * im.channels + c] = im.data[((y / s | 0) * im.width + (x / s | 0)) * im.channels + c];
  return { width: im.width * s, height: im.height * s, channels: im.channels, data: out };
}

export class FakeSink implements FrameSink {
  readonly name = 'fake-sink';
  written: { index: number; pts: number; first: number; width: number; layout: string; data: Uint8Array }[] = [];
  opened?: SinkOpenInfo;
  closed = false;
  aborted = false;
  disposed = false;

  constructor(readonly opts: { failAt?: number; delayMs?: () => number } = {}) {}

  async open(info: SinkOpenInfo) {
    this.opened = info;
  }

  async write(frame: Frame) {
    if (this.opts.delayMs) await sleep(this.opts.delayMs());
    if (frame.index === this.opts.failAt) throw new Error(`disk full at frame ${frame.index}`);
    this.written.push({ index: frame.index, pts: frame.pts, first: frame.data[0], width: frame.width, layout: frame.layout, data: frame.data });
  }

  async close(): Promise<SinkResult> {
    this.closed = true;
    return { output: 'out.mp4', framesWritten: this.written.length };
  }

  async abort() {
    this.aborted = true;
  }

  async dispose() {
    this.disposed = true;
  }
}

/** Marks frame i a duplicate of the current reference when `isDup(i)`. */
export class ScriptedDedupe implements DedupeStrategy {
  readonly name = 'scripted';
  private reference = -1;
  disposed = false;

  constructor(readonly isDup: (i: number) => boolean, readonly lie = false) {}

  decide(frame: Frame): DedupeDecision {
    if (frame.index > 0 && this.isDup(frame.index)) return { duplicateOf: this.lie ? Math.max(0, this.reference - 1) : this.reference };
    this.reference = frame.index;
    return {};
  }

  async dispose() {
    this.disposed = true;
  }
}
