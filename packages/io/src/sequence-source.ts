import { resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { cancelledError, layoutOf, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSource, Logger, Rational, SourceInfo, SourceOptions } from '@upframe/core';
import { decodeImage, type DecodedImage } from './image-codec.js';
import { imageFormatOfSharp } from './jpeg-quality.js';
import { validateFrameSequence, type FrameSequence } from './sequence-validator.js';
import { parseRational, reduceRational } from './timing.js';

/** `extra.frameRate`: a number or `"30000/1001"`; 25 fps (ffmpeg's image-sequence default) when unset. */
function frameRateOf(extra: Readonly<Record<string, unknown>> | undefined): Rational {
  const value = extra?.frameRate;
  if (value === undefined) return { num: 25, den: 1 };
  const rate = typeof value === 'number' ? (Number.isInteger(value) ? { num: value, den: 1 } : { num: Math.round(value * 1000), den: 1000 }) : parseRational(String(value));
  if (!rate || rate.num <= 0) throw new UpframeError('USAGE', `option "frameRate" must be a positive number or a ratio like "30000/1001", got ${JSON.stringify(value)}`);
  return reduceRational(rate);
}

/**
 * Reads a directory of numbered images in number order, validated up front (see
 * `validateFrameSequence`). Frames carry their file name so the sequence sink keeps the numbering.
 */
@injectable()
export class SequenceSource implements FrameSource {
  readonly name = 'sequence';
  private sequence?: FrameSequence;
  private info?: SourceInfo;
  /** First frame to read: a resumed run's frames before it are already written. */
  private start = 0;

  constructor(
    @inject(TOKENS.SourceOptions) private readonly options: SourceOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async open(): Promise<SourceInfo> {
    if (this.info) return this.info;
    const rate = frameRateOf(this.options.extra);
    const sequence = await validateFrameSequence(resolve(this.options.input));
    if (sequence.ignored.length) this.logger.info(`sequence ${sequence.dir}: ignoring ${sequence.ignored.length} non-image file(s)`);
    this.sequence = sequence;
    this.info = {
      kind: 'sequence',
      path: sequence.dir,
      width: sequence.width,
      height: sequence.height,
      layout: layoutOf(sequence.hasAlpha ? 4 : 3, (sequence.bitDepth ?? 8) > 8 ? 16 : 8),
      chroma: 'rgb',
      timeBase: { num: rate.den, den: rate.num },
      frameRate: rate,
      variableFrameRate: false,
      frameCount: sequence.files.length,
      frameCountExact: true,
      bitDepth: sequence.bitDepth,
      imageFormat: sequence.formats.length === 1 ? imageFormatOfSharp(sequence.formats[0]) : undefined,
      details: { files: sequence.files.map((f) => f.name) },
      identity: `${sequence.dir}:${sequence.files.length}:${sequence.files[0].name}:${sequence.files.at(-1)!.name}`,
    };
    return this.info;
  }

  /** Every frame is its own file, so a resumed run reads from `index` on without decoding those before. */
  startAt(index: number): void {
    if (index > 0 && index < (this.sequence?.files.length ?? 0)) this.start = index;
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    const info = await this.open();
    const files = this.sequence!.files;
    // Decode one frame ahead so reading the next file overlaps with the consumer's work.
    const decode = (i: number) => decodeImage(files[i].path, info.layout);
    let pending: Promise<DecodedImage> | undefined = decode(this.start);
    for (let i = this.start; i < files.length; i++) {
      const image: DecodedImage = await pending!;
      pending = i + 1 < files.length ? decode(i + 1) : undefined;
      pending?.catch(() => {}); // surfaced when awaited; avoids an unhandled rejection if we stop early
      if (signal?.aborted) throw cancelledError(signal.reason);
      if (image.width !== info.width || image.height !== info.height) {
        throw new UpframeError('SEQUENCE_INVALID', `${files[i].path} is ${image.width}x${image.height}, but the sequence is ${info.width}x${info.height}`, { file: files[i].path });
      }
      yield { index: i, pts: i, timeBase: info.timeBase, duration: 1, width: image.width, height: image.height, layout: image.layout, data: image.data, sourceName: files[i].name };
    }
  }

  async dispose(): Promise<void> {}
}
