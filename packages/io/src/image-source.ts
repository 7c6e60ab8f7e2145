import { basename, resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { cancelledError, layoutOf, TOKENS } from '@upframe/core';
import type { Frame, FrameSource, Logger, SourceInfo, SourceOptions } from '@upframe/core';
import { loadSharp } from './sharp-module.js';
import { decodeImage, readImageHeader } from './image-codec.js';
import { assertInputFile, identityOf } from './input-file.js';
import { estimateImageQuality, imageFormatOfSharp } from './jpeg-quality.js';

/** Reads one still image (png, jpeg, webp, tiff, avif) with sharp as a single frame; RGBA when it has alpha. */
@injectable()
export class ImageSource implements FrameSource {
  readonly name = 'image';
  private info?: SourceInfo;

  constructor(
    @inject(TOKENS.SourceOptions) private readonly options: SourceOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async open(): Promise<SourceInfo> {
    if (this.info) return this.info;
    const file = resolve(this.options.input);
    const stats = await assertInputFile(file);
    const header = await readImageHeader(file);
    const imageFormat = imageFormatOfSharp(header.format);
    const imageQuality = await estimateImageQuality(file, imageFormat);
    const alphaUnused = header.hasAlpha && (await everyPixelOpaque(file, header.bitDepth));
    this.logger.debug(`image source: ${file} ${header.format} ${header.width}x${header.height}${header.hasAlpha ? ' with alpha' : ''}`);
    this.info = {
      kind: 'image',
      path: file,
      width: header.width,
      height: header.height,
      // Deeper than 8 bits (16-bit PNG/TIFF): 16-bit frames, so nothing is rounded on the way.
      layout: layoutOf(header.hasAlpha ? 4 : 3, header.bitDepth > 8 ? 16 : 8),
      chroma: 'rgb',
      timeBase: { num: 1, den: 1 },
      variableFrameRate: false,
      frameCount: 1,
      frameCountExact: true,
      bitDepth: header.bitDepth,
      imageFormat,
      ...(imageQuality !== undefined ? { imageQuality } : {}),
      // The frames stay RGBA (a PNG keeps its channels), but a sink may then leave out an alpha nobody uses.
      details: { format: header.format, ...(alphaUnused ? { alphaUnused } : {}) },
      identity: identityOf(file, stats),
    };
    return this.info;
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    const info = await this.open();
    if (signal?.aborted) throw cancelledError(signal.reason);
    const image = await decodeImage(info.path, info.layout);
    if (signal?.aborted) throw cancelledError(signal.reason);
    yield { index: 0, pts: 0, timeBase: info.timeBase, duration: 1, width: image.width, height: image.height, layout: image.layout, data: image.data, sourceName: basename(info.path) };
  }

  async dispose(): Promise<void> {}
}

/** Whether every pixel's alpha is at its maximum: transparency is read from the pixels, not the pixel format. */
async function everyPixelOpaque(file: string, bitDepth: number): Promise<boolean> {
  const { channels } = await loadSharp()(file).stats();
  return channels.at(-1)?.min === 2 ** Math.min(bitDepth, 16) - 1;
}
