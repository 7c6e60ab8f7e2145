import type { Image } from '../frame.js';

/** Image formats a sink may be asked to write. */
export const IMAGE_FORMATS = ['png', 'webp', 'jpeg', 'tiff', 'avif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** An encoding decision: format plus encoder settings (sharp-style option names). */
export interface FormatChoice {
  readonly format: ImageFormat;
  readonly lossless: boolean;
  readonly options: Readonly<Record<string, unknown>>;
  /** One sentence for the report: why this format. */
  readonly reason: string;
}

export interface FormatContext {
  /** Formats the sink can write. */
  readonly supported: readonly ImageFormat[];
  /** Frames expected in the sequence (1 for a single image), when known. */
  readonly frameCount?: number;
  /** Bit depth of the source, when known. */
  readonly sourceBitDepth?: number;
}

/**
 * Chooses the output format of each frame. Called in index order. A sequence-level selector
 * returns the same choice for every frame once decided.
 */
export interface FormatSelector {
  readonly name: string;
  select(image: Image, index: number, context: FormatContext): FormatChoice | Promise<FormatChoice>;
  /** Summary of what was chosen and why, for the run report. */
  summary?(): string | undefined;
}
