import type { Frame, PixelLayout, Rational } from '../frame.js';
import type { Lifecycle } from './lifecycle.js';
import type { ImageFormat } from './format-selector.js';

export const SOURCE_KINDS = ['video', 'image', 'sequence', 'animation'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * Where frame pts come from: `decoder` when each frame carries the timestamp the decoder gave it,
 * so a jump in pts means frames were lost; `index` when the source computes pts from the decode
 * index, which hides any loss (only the frame count can then tell that frames are missing).
 */
export const PTS_ORIGINS = ['decoder', 'index'] as const;
export type PtsOrigin = (typeof PTS_ORIGINS)[number];

/** Colour description carried from input to output so colours do not shift. */
export interface ColorInfo {
  readonly matrix?: string;
  readonly range?: string;
  readonly primaries?: string;
  readonly transfer?: string;
}

/** What a source knows about its input once opened. */
export interface SourceInfo {
  readonly kind: SourceKind;
  /** The input path (file or directory). */
  readonly path: string;
  /** Display dimensions (after rotation is applied). */
  readonly width: number;
  readonly height: number;
  readonly layout: PixelLayout;
  readonly timeBase: Rational;
  /** Average frame rate, when meaningful. */
  readonly frameRate?: Rational;
  readonly variableFrameRate: boolean;
  /** Frame count when known up front (probe or directory listing); undefined when it is not. */
  readonly frameCount?: number;
  /**
   * True when the source vouches for `frameCount` (a directory listing, counted packets, or a
   * file known to be cut short whose header count is what the user expects): the pipeline then
   * fails if a different number of frames arrives. When false it is an estimate and a mismatch
   * is only a warning.
   */
  readonly frameCountExact?: boolean;
  /** Where frame pts come from (default `index`): only decoder pts let the pipeline locate lost frames. */
  readonly ptsOrigin?: PtsOrigin;
  /**
   * Sorted pts, in `timeBase`, of the frames the source expects to deliver (probed packets). Lets
   * the pipeline name the frames a decoder lost in a variable-frame-rate input, and where a
   * constant-rate stream starts.
   */
  readonly expectedPts?: readonly number[];
  readonly color?: ColorInfo;
  /**
   * Bit depth per colour sample of the source (8, 10, 16), for the format choice. A source deeper
   * than 8 bits should deliver 16-bit frames (`rgb48`/`rgba64`) so nothing is rounded on the way.
   */
  readonly bitDepth?: number;
  /** Chroma subsampling of the source: `4:2:0`, `4:2:2`, `4:4:4`, `4:4:0`, `4:1:1`, or `rgb` for RGB storage. */
  readonly chroma?: string;
  /** The source's own pixel format name (ffmpeg's, such as `yuv422p10le`), when it has one. */
  readonly pixelFormat?: string;
  /** Still-image format of the source (a single image, or every frame of a folder), for the format choice. */
  readonly imageFormat?: ImageFormat;
  /** Quality (1–100) a lossy source was encoded at, estimated from its quantisation tables (JPEG). */
  readonly imageQuality?: number;
  /** Anything else the matching sink needs (stream lists, per-file names). Opaque to core. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Stable identity of the input (path, size, mtime) for caches. */
  readonly identity?: string;
  /** What the source changes about the input (deinterlacing): printed once and listed in the report's warnings. */
  readonly warnings?: readonly string[];
}

/**
 * Produces decoded frames in decode order with contiguous indices starting at 0.
 * `frames()` may be iterated once; breaking out of the loop or aborting `signal` must stop
 * any child process and release resources.
 */
export interface FrameSource extends Lifecycle {
  readonly name: string;
  /** Probe and validate the input; throws `UpframeError` naming the file on bad input. */
  open(signal?: AbortSignal): Promise<SourceInfo>;
  frames(signal?: AbortSignal): AsyncIterable<Frame>;
  /**
   * Called after `open()` and before `frames()` when a resumed run needs frames from `index` on.
   * A source that can seek starts there: its first frame is `index`, with its global index and
   * pts, and the frames before it are neither decoded again nor yielded. A source that cannot (or
   * would not be exact) ignores the call and yields from 0; the pipeline skips what is committed.
   */
  startAt?(index: number): void;
  /** Frames this run decoded, counting those a seek decoded only to reach its start (for the report). */
  readonly framesDecoded?: number;
}

/** Options every source factory receives. */
export interface SourceOptions {
  readonly input: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}
