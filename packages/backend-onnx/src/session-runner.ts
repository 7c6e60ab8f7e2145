import { BufferPool, isOutOfMemoryMessage, UpframeError, type Image } from '@upframe/core';
import { BYTE_INPUT, BYTE_OUTPUT } from '@upframe/model-ncnn';
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
 * The sessions a runner uses. `bytes` is the model wrapped to take and give uint8 RGB pixels
 * (`withByteIo`): 8-bit frames go through it with no conversion in JS. `float` is the model as
 * it is, fed by the JS pixel codec: 16-bit frames need it, and so does a model that could not be
 * wrapped. When `bytes` is there, `float` is opened on the first 16-bit batch only.
 */
export interface RunnerSessions {
  readonly bytes?: InferenceSession;
  readonly float?: InferenceSession;
  readonly openFloat?: () => Promise<InferenceSession>;
}

/**
 * The per-batch tensor work, shared by the in-thread backend and the inference worker so both
 * produce identical bytes.
 */
export class SessionRunner implements BatchRunner {
  private readonly codec: PixelCodec;
  private readonly pool: BufferPool<TensorData>;
  private readonly bytePool = new BufferPool<Uint8Array>(4);
  private float?: InferenceSession;
  private opening?: Promise<InferenceSession>;

  constructor(private readonly ort: Ort, private readonly sessions: RunnerSessions, private readonly spec: ModelSpec) {
    this.codec = createPixelCodec(spec.layout, spec.inputDtype, spec.outputDtype, spec.inputRange, spec.outputRange);
    this.pool = new BufferPool<TensorData>(4, true, (n) => (spec.inputDtype === 'float32' ? new Float32Array(n) : new Uint16Array(n)));
    this.float = sessions.float;
  }

  run(images: readonly Image[], width: number, height: number): Promise<Image[]> {
    const bytes = this.sessions.bytes;
    return bytes && images[0]?.depth !== 16 ? this.runBytes(bytes, images, width, height) : this.runFloat(images, width, height);
  }

  /** 8-bit frames into the byte graph: one copy in, views of the one output array out. */
  private async runBytes(session: InferenceSession, images: readonly Image[], width: number, height: number): Promise<Image[]> {
    const { spec, bytePool } = this;
    const batch = spec.fixedBatch ?? images.length;
    const frame = 3 * width * height;
    const buffer = bytePool.acquire(batch * frame);
    images.forEach((image, i) => buffer.set(image.data.subarray(0, frame), i * frame));
    if (batch > images.length) buffer.fill(0, images.length * frame);
    let output: Tensor;
    try {
      output = await this.feed(session, BYTE_INPUT, BYTE_OUTPUT, new this.ort.Tensor('uint8', buffer, [batch, height, width, 3]), images.length, width, height);
    } finally {
      bytePool.release(buffer);
    }
    const [oh, ow] = output.dims.slice(1, 3) as [number, number];
    this.checkScale(width, height, ow, oh);
    const data = output.data as Uint8Array;
    const out = 3 * ow * oh;
    return images.map((_, i) => ({ width: ow, height: oh, channels: 3, data: data.subarray(i * out, (i + 1) * out) }));
  }

  private async runFloat(images: readonly Image[], width: number, height: number): Promise<Image[]> {
    const { ort, spec, codec, pool } = this;
    const session = this.float ?? (await this.openFloat());
    const batch = spec.fixedBatch ?? images.length;
    const buffer = pool.acquire(batch * 3 * width * height);
    // A fixed-batch model gets zeros in the unused slots; a reused buffer may hold old pixels there.
    if (batch > images.length) buffer.fill(0, images.length * 3 * width * height);
    codec.encode(images, buffer);
    const dims = spec.layout === 'nchw' ? [batch, 3, height, width] : [batch, height, width, 3];
    let output: Tensor;
    try {
      output = await this.feed(session, spec.inputName, spec.outputName, new ort.Tensor(spec.inputDtype, buffer as Float32Array, dims), images.length, width, height);
    } finally {
      pool.release(buffer);
    }
    const [oh, ow] = spec.layout === 'nchw' ? output.dims.slice(2) : output.dims.slice(1, 3);
    this.checkScale(width, height, ow!, oh!);
    const data = output.data instanceof Uint16Array || output.data instanceof Float32Array ? output.data : Float32Array.from(output.data as ArrayLike<number>);
    // Same depth out as in: a 16-bit input comes back 16-bit, never rounded to 8 bits.
    return codec.decode(data, images.length, height * spec.scale, width * spec.scale, images[0]?.depth === 16 ? 16 : 8);
  }

  private openFloat(): Promise<InferenceSession> {
    const open = this.sessions.openFloat;
    if (!open) return Promise.reject(new UpframeError('INTERNAL', `${this.spec.id}: no session for 16-bit frames`));
    this.opening ??= open().then((session) => (this.float = session));
    return this.opening;
  }

  private async feed(session: InferenceSession, input: string, output: string, tensor: Tensor, count: number, width: number, height: number): Promise<Tensor> {
    try {
      return (await session.run({ [input]: tensor }))[output]!;
    } catch (error) {
      const full = error instanceof Error ? error.message : String(error);
      const why = full.split('\n')[0];
      // Allocation failures are OUT_OF_MEMORY so the pipeline retries at a smaller batch or tile.
      const code = isOutOfMemoryMessage(full) ? 'OUT_OF_MEMORY' : /dimension|shape/i.test(why ?? '') ? 'MODEL_INPUT_MISMATCH' : 'INFERENCE_FAILED';
      throw new UpframeError(code, `${this.spec.id} failed on a batch of ${count} ${width}×${height} images: ${why}`, { cause: error });
    }
  }

  private checkScale(width: number, height: number, ow: number, oh: number): void {
    const { spec } = this;
    if (oh !== height * spec.scale || ow !== width * spec.scale) {
      throw new UpframeError('MODEL_INPUT_MISMATCH', `${spec.id} turned a ${width}×${height} input into ${ow}×${oh}, not the ${spec.scale}x it was set up for`, {
        hint: 'Check "scale" (and "layout") in the model descriptor or backend options.',
      });
    }
  }

  async release(): Promise<void> {
    const float = this.float ?? (await this.opening?.catch(() => undefined));
    await Promise.all([this.sessions.bytes?.release(), float?.release()]);
  }
}
