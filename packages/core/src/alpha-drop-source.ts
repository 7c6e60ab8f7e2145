import { flattenAlpha, flattenAlpha16, type RgbColour } from './alpha.js';
import type { FrameSource, SourceInfo } from './contracts/frame-source.js';
import { hasAlpha, sampleDepthOf, type Frame, type PixelLayout } from './frame.js';

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
    if (!hasAlpha(info.layout)) return info;
    const warning = `${info.path}: transparency dropped as asked (--alpha drop): flattened onto ${this.backgroundName}`;
    return { ...info, layout: withoutAlpha(info.layout), warnings: [...(info.warnings ?? []), warning] };
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    for await (const frame of this.inner.frames(signal)) {
      if (!hasAlpha(frame.layout)) yield frame;
      else {
        const data = sampleDepthOf(frame.layout) === 16 ? flattenAlpha16(frame.data, this.background) : flattenAlpha(frame.data, this.background);
        yield { ...frame, layout: withoutAlpha(frame.layout), data };
      }
    }
  }

  /** A resumed run's seek goes to the wrapped decoder (else every committed frame is decoded again). */
  startAt(index: number): void {
    this.inner.startAt?.(index);
  }

  get framesDecoded(): number | undefined {
    return this.inner.framesDecoded;
  }

  initialize(signal?: AbortSignal): Promise<void> {
    return this.inner.initialize?.(signal) ?? Promise.resolve();
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/** The same depth without the alpha plane: `rgba` → `rgb24`, `rgba64` → `rgb48`. */
function withoutAlpha(layout: PixelLayout): PixelLayout {
  return sampleDepthOf(layout) === 16 ? 'rgb48' : 'rgb24';
}
