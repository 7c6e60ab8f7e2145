import { depthToSpace, mul, serialization, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
type Shape = (number | null)[];

/**
 * Residual scaling of esrgan-thick's RRDN blocks. upscalerjs defines it with `BETA = 0.2`
 * (`packages/shared/src/esrgan/esrgan.ts`), and the Keras original (idealo ISR) writes `beta`
 * into the layer config, so a config value wins when present.
 */
export const DEFAULT_BETA = 0.2;

const first = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);

/** `x * beta`. */
export class MultiplyBeta extends layers.Layer {
  static className = 'MultiplyBeta';
  readonly beta: number;

  constructor(args: LayerArgs & { beta?: number } = {}) {
    super(args);
    this.beta = typeof args.beta === 'number' ? args.beta : DEFAULT_BETA;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return mul(first(inputs), this.beta);
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), beta: this.beta };
  }
}

/** Sub-pixel convolution's rearrangement: NHWC depth-to-space with block size `scale`. */
abstract class PixelShuffle extends layers.Layer {
  constructor(readonly scale: number, args: LayerArgs & { scaleFactor?: number }) {
    super(args);
    // The Keras original stores its factor as scale_factor; it must match the class name.
    if (args.scaleFactor !== undefined && args.scaleFactor !== scale) {
      throw new Error(`PixelShuffle${scale}x layer "${this.name}" has scale_factor ${args.scaleFactor} in its config`);
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const s = this.scale;
    // upscalerjs returns [n, h, w, 3] here; the real shape matters when a layer follows.
    return [n ?? null, h == null ? null : h * s, w == null ? null : w * s, c == null ? null : c / (s * s)];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return depthToSpace(first(inputs) as Tensor4D, this.scale, 'NHWC');
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), scaleFactor: this.scale };
  }
}

export class PixelShuffle2x extends PixelShuffle {
  static className = 'PixelShuffle2x';
  constructor(args: LayerArgs & { scaleFactor?: number } = {}) {
    super(2, args);
  }
}

export class PixelShuffle3x extends PixelShuffle {
  static className = 'PixelShuffle3x';
  constructor(args: LayerArgs & { scaleFactor?: number } = {}) {
    super(3, args);
  }
}

export class PixelShuffle4x extends PixelShuffle {
  static className = 'PixelShuffle4x';
  constructor(args: LayerArgs & { scaleFactor?: number } = {}) {
    super(4, args);
  }
}

let registered = false;

/** Makes tfjs-layers able to deserialize esrgan-thick's custom layers; idempotent. */
export function registerCustomLayers(): void {
  if (registered) return;
  for (const cls of [MultiplyBeta, PixelShuffle2x, PixelShuffle3x, PixelShuffle4x]) serialization.registerClass(cls);
  registered = true;
}
