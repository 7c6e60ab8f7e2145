import { extname, resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { channelsOf, hasAlpha, sampleDepthOf, TOKENS, UpframeError } from '@upframe/core';
import { imageDepthWarning, storedImageDepth } from './image-depth.js';
import type { Frame, FrameSink, Logger, SinkOpenInfo, SinkOptions, SinkResult } from '@upframe/core';
import { guardOutput } from './output-guard.js';
import { commitFile, createWorkspace, discardWorkspace, sweepAndReport, type Workspace } from './temp-workspace.js';
import { chooseFormat } from './format-choice.js';
import { encodeImage } from './image-codec.js';
import { imageFormatOf, writableImageFormats } from './image-formats.js';
import { OwnedSelector } from './owned-selector.js';
import { isString, optionOf } from './stage-options.js';

/**
 * Writes a single image. The output extension names the format when it has one (`.webp`); a path
 * without one gets the format the selector picks (png without a selector) and its extension.
 */
@injectable()
export class ImageSink implements FrameSink {
  readonly name = 'image';
  /** 16-bit frames are written as 16-bit PNG/TIFF; other formats get them rounded to 8 bits, with a warning. */
  readonly sampleDepths = [8, 16] as const;
  private info?: SinkOpenInfo;
  private stored?: SinkResult['stored'];
  private readonly warnings: string[] = [];
  private output = '';
  private workspace?: Workspace;
  private replaced = 0;
  private written = 0;
  private readonly notes: string[] = [];
  private readonly selector: OwnedSelector;

  constructor(
    @inject(TOKENS.SinkOptions) private readonly options: SinkOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    this.selector = new OwnedSelector(options.formatSelector);
  }

  private get flattenAlpha(): string | undefined {
    return optionOf(this.options.extra, 'flattenAlpha', 'a colour such as "#ffffff"', isString);
  }

  async open(info: SinkOpenInfo, signal?: AbortSignal): Promise<void> {
    this.output = resolve(this.options.output);
    const ext = extname(this.output);
    const explicit = imageFormatOf(this.output);
    if (ext && !explicit) {
      throw new UpframeError('USAGE', `cannot write an image to "${this.output}": unknown extension "${ext}"; use .png, .jpg, .webp, .tiff or .avif`, { file: this.output });
    }
    // Refuse before any inference: the user named a format that would lose the alpha channel.
    if (explicit === 'jpeg' && hasAlpha(info.layout) && !this.flattenAlpha && !alphaUnused(info)) {
      throw new UpframeError('USAGE', `cannot write ${this.output}: ${info.source.path} has transparency and JPEG cannot store it`, {
        file: info.source.path,
        hint: 'Write .png, .webp, .tiff or .avif to keep it, or pass --alpha drop to flatten it onto --background (default #ffffff).',
      });
    }
    // An animation into a one-image format would keep only its first frame.
    if ((info.source.frameCount ?? 1) > 1) {
      throw new UpframeError('USAGE', `cannot write ${this.output}: ${info.source.path} holds ${info.source.frameCount} frames, and ${ext || 'an image'} holds one`, {
        file: info.source.path,
        hint: 'Write an animation (.gif, .webp, .png for APNG), a video (.mp4, .mkv, .webm, .mov) or a folder of frames.',
      });
    }
    if (explicit && !writableImageFormats().includes(explicit)) {
      throw new UpframeError('USAGE', `this sharp build cannot write ${explicit}; it writes ${writableImageFormats().join(', ')}`, { file: this.output });
    }
    await guardOutput(this.output, { kind: 'file', overwrite: this.options.overwrite, inputs: [info.source.path] });
    await this.selector.initialize(signal);
    this.info = info;
  }

  async write(frame: Frame): Promise<void> {
    if (!this.info) throw new UpframeError('USAGE', 'ImageSink.write() called before open()');
    if (this.written > 0) throw new UpframeError('USAGE', `the image sink writes one image, but got frame ${frame.index} too; write a directory to get a sequence`, { file: this.output });
    const image = { width: frame.width, height: frame.height, channels: channelsOf(frame.layout), ...(sampleDepthOf(frame.layout) === 16 ? { depth: 16 as const } : {}), data: frame.data };
    const explicit = imageFormatOf(this.output);
    const { choice, note } = await chooseFormat(this.options.formatSelector, image, 0, {
      supported: explicit ? [explicit] : writableImageFormats(),
      frameCount: 1,
      sourceBitDepth: this.info.source.bitDepth,
      sourceFormat: this.info.source.imageFormat,
      sourceQuality: this.info.source.imageQuality,
    }, explicit);
    if (note) this.notes.push(note);
    if (!explicit) {
      this.output = `${this.output}.${choice.format === 'jpeg' ? 'jpg' : choice.format}`;
      await guardOutput(this.output, { kind: 'file', overwrite: this.options.overwrite, inputs: [this.info.source.path] });
    }
    this.notes.push(...(await sweepAndReport(this.output, this.logger)));
    this.workspace = await createWorkspace(this.output);
    // Every source pixel opaque: "flattening" onto any colour leaves the pixels as they are.
    const unused = !this.flattenAlpha && alphaUnused(this.info);
    const flattened = await encodeImage(image, choice, this.workspace.file, { flattenAlpha: this.flattenAlpha ?? (unused ? '#ffffff' : undefined), reportAs: this.output });
    if (flattened) this.notes.push(unused ? `alpha channel left out of ${choice.format}: every pixel of the input is opaque` : flattened);
    this.notes.push(`${choice.format}: ${choice.reason}`);
    this.stored = storedImageDepth(this.info, choice.format);
    const reduced = imageDepthWarning(this.info, choice.format, this.output);
    if (reduced) this.warnings.push(reduced);
    this.written++;
  }

  async close(): Promise<SinkResult> {
    if (!this.workspace || this.written === 0) throw new UpframeError('OUTPUT_FAILED', `no image was written to ${this.output}`, { file: this.output });
    const workspace = this.workspace;
    this.workspace = undefined;
    const { replaced } = await commitFile(workspace, this.output, { overwrite: Boolean(this.options.overwrite) });
    this.replaced = replaced ? 1 : 0;
    this.logger.debug(`image sink: wrote ${this.output}`);
    return { output: this.output, framesWritten: this.written, replaced: this.replaced, notes: [...this.notes], warnings: [...this.warnings], stored: this.stored };
  }

  async abort(_reason?: unknown): Promise<void> {
    await discardWorkspace(this.workspace);
    this.workspace = undefined;
  }

  async dispose(): Promise<void> {
    try {
      await this.abort();
    } finally {
      await this.selector.dispose();
    }
  }
}

/** The source image has an alpha channel whose every pixel is opaque (see ImageSource). */
function alphaUnused(info: SinkOpenInfo): boolean {
  return info.source.details?.alphaUnused === true;
}
