import { BufferPool, isOutOfMemoryMessage, UpframeError, type Image } from '@upframe/core';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ModelSpec } from './model-spec.js';
import { createPixelCodec, type PixelCodec, type TensorData } from './pixel-codec.js';

type Ort = typeof import('onnxruntime-node');

/** Runs validated batches on one session: pixels → tensor → session.run → pixels. */
export interface BatchRunner {
  run(images: readonly Image[], width: number, height: number): Promise<Image[]>;
  release(): Promise<void>;
}

/**
 * The per-batch tensor work, shared by the in-thread backend and the inference worker so both
 * produce identical bytes.
 */
export class SessionRunner implements BatchRunner {
  private readonly codec: PixelCodec;
  private readonly pool: BufferPool<TensorData>;

  constructor(private readonly ort: Ort, private readonly session: InferenceSession, private readonly spec: ModelSpec) {
    this.codec = createPixelCodec(spec.layout, spec.inputDtype, spec.outputDtype, spec.inputRange, spec.outputRange);
    this.pool = new BufferPool<TensorData>(4, true, (n) => (spec.inputDtype === 'float32' ? new Float32Array(n) : new Uint16Array(n)));
  }

  async run(images: readonly Image[], width: number, height: number): Promise<Image[]> {
    const { ort, session, spec, codec, pool } = this;
    const batch = spec.fixedBatch ?? images.length;
    const buffer = pool.acquire(batch * 3 * width * height);
    // A fixed-batch model gets zeros in the unused slots; a reused buffer may hold old pixels there.
    if (batch > images.length) buffer.fill(0, images.length * 3 * width * height);
    codec.encode(images, buffer);
    const dims = spec.layout === 'nchw' ? [batch, 3, height, width] : [batch, height, width, 3];
    let output: Tensor;
    try {
      const feeds = { [spec.inputName]: new ort.Tensor(spec.inputDtype, buffer as Float32Array, dims) };
      output = (await session.run(feeds))[spec.outputName]!;
    } catch (error) {
      const full = error instanceof Error ? error.message : String(error);
      const why = full.split('\n')[0];
      // Allocation failures are OUT_OF_MEMORY so the pipeline retries at a smaller batch or tile.
      const code = isOutOfMemoryMessage(full) ? 'OUT_OF_MEMORY' : /dimension|shape/i.test(why ?? '') ? 'MODEL_INPUT_MISMATCH' : 'INFERENCE_FAILED';
      throw new UpframeError(code, `${spec.id} failed on a batch of ${images.length} ${width}×${height} images: ${why}`, { cause: error });
    } finally {
      pool.release(buffer);
    }
    const [oh, ow] = spec.layout === 'nchw' ? output.dims.slice(2) : output.dims.slice(1, 3);
    if (oh !== height * spec.scale || ow !== width * spec.scale) {
      throw new UpframeError('MODEL_INPUT_MISMATCH', `${spec.id} turned a ${width}×${height} input into ${ow}×${oh}, not the ${spec.scale}x it was set up for`, {
        hint: 'Check "scale" (and "layout") in the model descriptor or backend options.',
      });
    }
    const data = output.data instanceof Uint16Array || output.data instanceof Float32Array ? output.data : Float32Array.from(output.data as ArrayLike<number>);
    // Same depth out as in: a 16-bit input comes back 16-bit, never rounded to 8 bits.
    return codec.decode(data, images.length, height * spec.scale, width * spec.scale, images[0]?.depth === 16 ? 16 : 8);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
