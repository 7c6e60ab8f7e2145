import type { Frame, PixelLayout, SampleDepth } from '../frame.js';
import type { FormatSelector } from './format-selector.js';
import type { SourceInfo } from './frame-source.js';
import type { Lifecycle } from './lifecycle.js';

/** What a sink is told before the first frame. */
export interface SinkOpenInfo {
  readonly source: SourceInfo;
  /** Output frame size (input size × scale). */
  readonly width: number;
  readonly height: number;
  /** Layout of every frame `write()` will get: 16-bit (`rgb48`/`rgba64`) only for a sink whose `sampleDepths` lists 16. */
  readonly layout: PixelLayout;
  /**
   * What produces the frames, so a sink can size its own work to it (the video sink picks an
   * encoder preset that keeps up with inference without slowing it): the backend's device and, when
   * it reports it, the model's FLOPs per input pixel.
   */
  readonly inference?: { readonly device: string; readonly scale: number; readonly flopsPerInputPixel?: number };
}

export interface SinkResult {
  /** Final path written (after the atomic rename). */
  readonly output: string;
  readonly framesWritten: number;
  /** Existing files this run replaced (with overwrite); the CLI says how many. */
  readonly replaced?: number;
  /** Format decisions or encoder notes for the report. */
  readonly notes?: readonly string[];
  /** What the output stores, for the report's `details.depth.output`: bits per sample, chroma subsampling, the format's own name. */
  readonly stored?: { readonly bitDepth: number; readonly chroma?: string; readonly pixelFormat?: string };
  /** Changes to the user's material they would want to know about (padding, dropped streams): printed once and listed in the report's warnings. */
  readonly warnings?: readonly string[];
}

/**
 * Consumes upscaled frames strictly in index order. Writes go to a private temporary place beside
 * the output; `close()` moves the result into place without replacing anything the run did not
 * own (unless overwriting was asked for), `abort()` removes it. Neither may leave a child
 * process running.
 */
export interface FrameSink extends Lifecycle {
  readonly name: string;
  /**
   * Sample depths `write()` takes (default `[8]`). A sink that lists 16 is opened with a 16-bit
   * layout when the source is deeper than 8 bits and should store that depth where its format can;
   * one that does not gets 8-bit frames, and the user is warned.
   */
  readonly sampleDepths?: readonly SampleDepth[];
  open(info: SinkOpenInfo, signal?: AbortSignal): Promise<void>;
  /** Resolves when the frame's bytes are handed off; the caller may reuse `frame.data` after. */
  write(frame: Frame): Promise<void>;
  close(): Promise<SinkResult>;
  abort(reason?: unknown): Promise<void>;
  /**
   * Frames [0, n) the sink already holds from an interrupted earlier run (journaled parts), known
   * after `open()`. The pipeline decodes those frames but does not infer or write them again; the
   * sink's `close()` counts them in `framesWritten`.
   */
  committedFrames?(): number;
}

export interface SinkOptions {
  readonly output: string;
  readonly overwrite?: boolean;
  /** Folder outputs: write frames into a folder that also holds the user's other files (never touched). */
  readonly allowOtherFiles?: boolean;
  /**
   * Picks the encoding of image and sequence outputs. The sink that receives a selector owns its
   * lifecycle: `initialize()` once in `open()`, before the first `select()`, and `dispose()` once
   * from the sink's own `dispose()`. A sink that never selects (video) still disposes it.
   */
  readonly formatSelector?: FormatSelector;
  readonly extra?: Readonly<Record<string, unknown>>;
}
