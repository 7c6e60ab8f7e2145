import type { Frame, PixelLayout } from '../frame.js';
import type { FormatSelector } from './format-selector.js';
import type { SourceInfo } from './frame-source.js';
import type { Lifecycle } from './lifecycle.js';

/** What a sink is told before the first frame. */
export interface SinkOpenInfo {
  readonly source: SourceInfo;
  /** Output frame size (input size × scale). */
  readonly width: number;
  readonly height: number;
  readonly layout: PixelLayout;
  readonly scale: number;
}

export interface SinkResult {
  /** Final path written (after the atomic rename). */
  readonly output: string;
  readonly framesWritten: number;
  /** Format decisions or encoder notes for the report. */
  readonly notes?: readonly string[];
}

/**
 * Consumes upscaled frames strictly in index order. Writes go to a temporary name beside the
 * output; `close()` renames it into place, `abort()` removes it. Neither may leave a child
 * process running.
 */
export interface FrameSink extends Lifecycle {
  readonly name: string;
  open(info: SinkOpenInfo, signal?: AbortSignal): Promise<void>;
  /** Resolves when the frame's bytes are handed off; the caller may reuse `frame.data` after. */
  write(frame: Frame): Promise<void>;
  close(): Promise<SinkResult>;
  abort(reason?: unknown): Promise<void>;
}

export interface SinkOptions {
  readonly output: string;
  readonly overwrite?: boolean;
  /** Used by image and sequence sinks to pick an encoding. */
  readonly formatSelector?: FormatSelector;
  readonly extra?: Readonly<Record<string, unknown>>;
}
