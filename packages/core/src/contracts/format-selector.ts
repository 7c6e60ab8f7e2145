import type { Image } from '../frame.js';
import type { Lifecycle } from './lifecycle.js';

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
  /** Still-image format of the source, when it is one (a single image or a frame folder). */
  readonly sourceFormat?: ImageFormat;
  /** Estimated quality (1–100) of a lossy source, when known: the default quality for the same format. */
  readonly sourceQuality?: number;
}

/** Options a format selector is created with (config file, `--format-opt`); each selector validates its own keys. */
export type FormatSelectorOptions = Readonly<Record<string, unknown>>;

/**
 * Chooses the output format of each frame. Called in index order. A sequence-level selector
 * returns the same choice for every frame once decided.
 *
 * Lifecycle: a selector belongs to the sink it is handed to (`SinkOptions.formatSelector`), as the
 * sink belongs to the pipeline. The sink calls `initialize()` once, in `open()`, before the first
 * `select()` (a sink that never selects, like `video`, skips it), and `dispose()` once, from its own
 * `dispose()`, however the run ended.
 */
export interface FormatSelector extends Lifecycle {
  readonly name: string;
  select(image: Image, index: number, context: FormatContext): FormatChoice | Promise<FormatChoice>;
  /**
   * A resumed run: frames [0, choices.length) were written by an interrupted run with these choices
   * and are kept. Called once, before the first `select()` (which then gets index choices.length). A
   * sequence-level selector keeps the first run's decision, so the folder is never mixed, and counts
   * these frames in its summary. Without it the first `select()` decides afresh.
   */
  resume?(choices: readonly FormatChoice[]): void;
  /** Summary of what was chosen and why, for the run report; read after the run, so also after `dispose()`. */
  summary?(): string | undefined;
}
