import { flattenAlpha, type RgbColour } from './alpha.js';
import type { FrameSource, SourceInfo } from './contracts/frame-source.js';
import type { Frame } from './frame.js';

/** What to do with an input's transparency: keep it (an output that cannot store it is refused), or drop it. */
export const ALPHA_MODES = ['keep', 'drop'] as const;
export type AlphaMode = (typeof ALPHA_MODES)[number];

/** Opaque white: what `--alpha drop` flattens onto unless told otherwise. */
export const DEFAULT_BACKGROUND = '#ffffff';

/**
 * Drops the alpha channel at the source, on the user's request (`--alpha drop`): every RGBA frame
 * is composited over an opaque background colour, so no later stage sees transparency and any
 * output can take the frames. A source without transparency passes through untouched; one with it
 * gets one warning, printed and kept in the report.
 */
export class AlphaDropSource implements FrameSource {
  constructor(
    private readonly inner: FrameSource,
    private readonly background: RgbColour,
    /** How the user named the colour, for the warning (`#ffffff`). */
    private readonly backgroundName: string,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  async open(signal?: AbortSignal): Promise<SourceInfo> {
    const info = await this.inner.open(signal);
    if (info.layout !== 'rgba') return info;
    const warning = `${info.path}: transparency dropped as asked (--alpha drop): flattened onto ${this.backgroundName}`;
    return { ...info, layout: 'rgb24', warnings: [...(info.warnings ?? []), warning] };
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    for await (const frame of this.inner.frames(signal)) {
      yield frame.layout === 'rgba' ? { ...frame, layout: 'rgb24', data: flattenAlpha(frame.data, this.background) } : frame;
    }
  }

  initialize(signal?: AbortSignal): Promise<void> {
    return this.inner.initialize?.(signal) ?? Promise.resolve();
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
