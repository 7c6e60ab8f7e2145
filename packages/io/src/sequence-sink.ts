import { mkdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { channelsOf, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSink, Logger, SinkOpenInfo, SinkOptions, SinkResult } from '@upframe/core';
import { commitDirectory, discard, guardOutput, temporaryPathFor } from './atomic-output.js';
import { chooseFormat } from './format-choice.js';
import { encodeImage } from './image-codec.js';
import { extensionFor, writableImageFormats } from './image-formats.js';
import { outputNameFor } from './sequence-naming.js';
import { isString, optionOf } from './stage-options.js';

/**
 * Writes frames as numbered images into a directory. Each frame keeps its source file's name with
 * the chosen format's extension; the directory is built beside the output under a temporary name
 * and renamed into place on `close()`.
 */
@injectable()
export class SequenceSink implements FrameSink {
  readonly name = 'sequence';
  private readonly options: SinkOptions;
  private info?: SinkOpenInfo;
  private output = '';
  private temporary?: string;
  private readonly names = new Set<string>();
  private readonly formats = new Map<string, number>();
  private readonly notes: string[] = [];

  constructor(
    @inject(TOKENS.StageOptions) options: Readonly<Record<string, unknown>>,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    this.options = options as unknown as SinkOptions;
  }

  async open(info: SinkOpenInfo): Promise<void> {
    this.output = resolve(this.options.output);
    await guardOutput(this.output, { kind: 'dir', overwrite: this.options.overwrite, inputs: [info.source.path] });
    this.temporary = temporaryPathFor(this.output, 'dir');
    await discard(this.temporary);
    await mkdir(this.temporary, { recursive: true });
    this.info = info;
  }

  async write(frame: Frame): Promise<void> {
    if (!this.info || !this.temporary) throw new UpframeError('USAGE', 'SequenceSink.write() called before open() or after close()/abort()');
    const image = { width: frame.width, height: frame.height, channels: channelsOf(frame.layout), data: frame.data };
    const { choice, note } = await chooseFormat(this.options.formatSelector, image, frame.index, {
      supported: writableImageFormats(),
      frameCount: this.info.source.frameCount,
      sourceBitDepth: this.info.source.bitDepth,
    });
    if (note && !this.notes.includes(note)) this.notes.push(note);
    const ext = extensionFor(choice.format, frame.sourceName ? extname(frame.sourceName) : undefined);
    const name = outputNameFor(frame.index, ext, frame.sourceName);
    if (this.names.has(name)) throw new UpframeError('OUTPUT_FAILED', `two frames map to the same output file ${name} in ${this.output}`, { file: join(this.output, name) });
    this.names.add(name);
    const flattenAlpha = optionOf(this.options.extra, 'flattenAlpha', 'a colour such as "#ffffff"', isString);
    const flattened = await encodeImage(image, choice, join(this.temporary, name), { flattenAlpha });
    if (flattened && !this.notes.includes(flattened)) this.notes.push(flattened);
    this.formats.set(choice.format, (this.formats.get(choice.format) ?? 0) + 1);
  }

  async close(): Promise<SinkResult> {
    if (!this.temporary) throw new UpframeError('USAGE', 'SequenceSink.close() called before open() or twice');
    if (this.names.size === 0) {
      await this.abort();
      throw new UpframeError('OUTPUT_FAILED', `no frames were written to ${this.output}`, { file: this.output });
    }
    await commitDirectory(this.temporary, this.output);
    this.temporary = undefined;
    const summary = this.options.formatSelector?.summary?.() ?? [...this.formats].map(([f, n]) => `${n} × ${f}`).join(', ');
    this.logger.debug(`sequence sink: wrote ${this.names.size} frames to ${this.output}`);
    return { output: this.output, framesWritten: this.names.size, notes: [summary, ...this.notes].filter(Boolean) };
  }

  async abort(_reason?: unknown): Promise<void> {
    if (this.temporary) await discard(this.temporary);
    this.temporary = undefined;
  }

  async dispose(): Promise<void> {
    await this.abort();
  }
}
