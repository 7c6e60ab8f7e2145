import type { TensorLayout } from '@upframe/core';
import type { TensorDtype } from './pixel-codec.js';

/** Everything the backend needs to feed a loaded model and read its result. */
export interface ModelSpec {
  /** Catalog id, or the file name of a user model. */
  readonly id: string;
  readonly scale: number;
  readonly inputName: string;
  readonly outputName: string;
  readonly layout: TensorLayout;
  readonly inputDtype: TensorDtype;
  readonly outputDtype: TensorDtype;
  /** Model values that pixel values 0 and 255 map to. */
  readonly inputRange: readonly [number, number];
  readonly outputRange: readonly [number, number];
  /** Set when the model's batch dimension is a fixed number (shorter batches are padded). */
  readonly fixedBatch?: number;
  /** Set when the model only takes one input size. */
  readonly fixedSize?: { readonly height: number; readonly width: number };
  /** Estimated peak working memory per input pixel of one image. */
  readonly bytesPerInputPixel: number;
  /** Convolution FLOPs per input pixel, when known (converted catalog models). */
  readonly flopsPerInputPixel?: number;
  /** False when the model pools over the whole frame (ncnn Real-CUGAN, waifu2x cunet): never tiled. */
  readonly tileSafe?: boolean;
  /** For models from the user's files (ncnn): the family and each file's sha256, for the report. */
  readonly family?: string;
  readonly files?: readonly { readonly path: string; readonly sha256: string }[];
}

/**
 * Input and output tensors plus the uint8 result, per input pixel, on top of the activations:
 * float input (3 × 4 B), float output (3 × s² × 4 B) and the RGB bytes (3 × s²). That is the float
 * graph's (16-bit frames, user models); the byte graph of 8-bit frames needs less, so the estimate
 * stays on the safe side for it.
 */
export function ioBytesPerInputPixel(scale: number): number {
  return 3 * 4 + 3 * scale * scale * 4 + 3 * scale * scale;
}
