import { UpframeError, type Image } from '@upframe/core';
import type { ModelSpec } from './model-spec.js';

/** Checks a `run` batch against the backend contract and the model's fixed sizes. */
export function validateBatch(images: readonly Image[], maxBatch: number, spec: ModelSpec): { width: number; height: number } {
  if (images.length === 0 || images.length > maxBatch) {
    throw new UpframeError('INPUT_INVALID', `onnx backend got a batch of ${images.length} images; it takes 1 to ${maxBatch}`);
  }
  const { width, height } = images[0]!;
  images.forEach((image, i) => {
    if (image.channels !== 3) throw new UpframeError('INPUT_INVALID', `batch image ${i} has ${image.channels} channels; the backend takes RGB (3)`);
    if (image.width !== width || image.height !== height) {
      throw new UpframeError('INPUT_INVALID', `batch image ${i} is ${image.width}×${image.height}, image 0 is ${width}×${height}; a batch must be one size`);
    }
    if ((image.depth ?? 8) !== (images[0]!.depth ?? 8)) throw new UpframeError('INPUT_INVALID', `batch image ${i} is ${image.depth ?? 8}-bit, image 0 is ${images[0]!.depth ?? 8}-bit; a batch must be one depth`);
    const bytes = width * height * 3 * (image.depth === 16 ? 2 : 1);
    if (image.data.length < bytes) throw new UpframeError('INPUT_INVALID', `batch image ${i} holds ${image.data.length} bytes, fewer than ${width}×${height}×3${image.depth === 16 ? '×2 (16-bit)' : ''}`);
  });
  const fixed = spec.fixedSize;
  if (fixed && (fixed.width !== width || fixed.height !== height)) {
    throw new UpframeError('MODEL_INPUT_MISMATCH', `${spec.id} only takes ${fixed.width}×${fixed.height} inputs, got ${width}×${height}`, {
      hint: `Use a tile size of ${fixed.width}×${fixed.height} for this model, or export it with dynamic height and width.`,
    });
  }
  return { width, height };
}
