import { join, resolve } from 'node:path';
import { loadSharp } from './sharp-module.js';
import { inject, injectable } from 'tsyringe';
import { cancelledError, channelsOf, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSink, Logger, SinkOpenInfo, SinkOptions, SinkResult } from '@upframe/core';
import { ANIMATION_TIME_BASE, isAnimationDetails, type AnimationFormat } from './animation-probe.js';
import { ANIMATION_EXTENSIONS, animationFormatOf, encodeAnimation } from './animation-encoder.js';
import { guardOutput } from './output-guard.js';
import { commitFile, createWorkspace, discardWorkspace, sweepAndReport, type Workspace } from './temp-workspace.js';
import { OwnedSelector } from './owned-selector.js';
import { rescale } from './timing.js';
import { explainWriteError } from './write-errors.js';

/**
 * Writes an animated GIF, WebP or PNG (APNG), chosen by the output extension: every frame, each
 * lasting until the next one's pts (the last its own duration), playing as often as the source
 * animation did. Frames wait as PNG files in the private workspace until `close()` encodes them, so
 * memory stays bounded by one frame.
 */
@injectable()
export class AnimatedImageSink implements FrameSink {
  readonly name = 'animation';
  private info?: SinkOpenInfo;
  private format?: AnimationFormat;
  private output = '';
  private workspace?: Workspace;
  private readonly files: string[] = [];
  private readonly ptsMs: number[] = [];
  private lastDurationMs?: number;
  private readonly notes: string[] = [];
  private readonly warnings: string[] = [];
  private readonly selector: OwnedSelector;
  private signal?: AbortSignal;

  constructor(
    @inject(TOKENS.SinkOptions) private readonly options: SinkOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    // Never asked to select (the extension names the format), but ours to dispose like any sink's.
    this.selector = new OwnedSelector(options.formatSelector);
  }

  async open(info: SinkOpenInfo, signal?: AbortSignal): Promise<void> {
    this.output = resolve(this.options.output);
    const format = animationFormatOf(this.output);
    if (!format) {
      const allowed = Object.keys(ANIMATION_EXTENSIONS).map((e) => `.${e}`).join(', ');
      throw new UpframeError('USAGE', `cannot write an animation to "${this.output}": use ${allowed}`, { file: this.output });
    }
    if (format === 'gif') {
      const what = info.layout === 'rgba' ? '256 colours per frame and 1-bit transparency (partly transparent pixels become opaque or clear)' : '256 colours per frame';
      this.warnings.push(`${this.output}: GIF stores ${what}; the upscaled frames are quantised to fit. Write .webp or .png (APNG) to keep every colour`);
    }
    await guardOutput(this.output, { kind: 'file', overwrite: this.options.overwrite, inputs: [info.source.path] });
    await this.selector.initialize(signal);
    this.notes.push(...(await sweepAndReport(this.output, this.logger)));
    this.workspace = await createWorkspace(this.output);
    this.info = info;
    this.format = format;
    this.signal = signal;
  }

  async write(frame: Frame): Promise<void> {
    const info = this.info;
    if (this.signal?.aborted) throw cancelledError(this.signal.reason);
    if (!info || !this.workspace) throw new UpframeError('USAGE', 'AnimatedImageSink.write() called before open() or after close()');
    if (frame.width !== info.width || frame.height !== info.height || frame.layout !== info.layout) {
      throw new UpframeError('INTERNAL', `frame ${frame.index} is ${frame.width}x${frame.height} ${frame.layout}, but the animation sink was opened for ${info.width}x${info.height} ${info.layout}`);
    }
    const file = join(this.workspace.dir, `frame-${String(this.files.length).padStart(6, '0')}.png`);
    const raw = { width: frame.width, height: frame.height, channels: channelsOf(frame.layout) };
    try {
      // Fast, lossless: these are intermediates (GIF/WebP re-encode them; APNG keeps them as they are).
      await loadSharp()(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength), { raw }).png({ compressionLevel: this.format === 'apng' ? 6 : 1 }).toFile(file);
    } catch (error) {
      throw await explainWriteError(error, this.output);
    }
    this.files.push(file);
    this.ptsMs.push(rescale(frame.pts, frame.timeBase, ANIMATION_TIME_BASE));
    if (frame.duration !== undefined) this.lastDurationMs = rescale(frame.duration, frame.timeBase, ANIMATION_TIME_BASE);
  }

  async close(): Promise<SinkResult> {
    const workspace = this.workspace;
    if (!workspace || !this.info || !this.format || this.files.length === 0) {
      await this.abort();
      throw new UpframeError('OUTPUT_FAILED', `no frames were written to ${this.output}`, { file: this.output });
    }
    const details = this.info.source.details;
    const plays = isAnimationDetails(details) ? details.plays : 0;
    if (!isAnimationDetails(details)) this.notes.push('plays forever (the input is not an animation, so it has no play count)');
    const delays = this.delays();
    const held = await encodeAnimation(this.format, this.files, delays, plays, workspace.file, this.output);
    if (held < this.files.length) {
      const merged = `${this.output}: the ${this.format.toUpperCase()} encoder merged ${this.files.length - held} frame(s) identical to the frame before into it (delays added, timing unchanged): it holds ${held} of the ${this.files.length} frames written. Write .png (APNG) or a video to keep every frame`;
      this.notes.push(merged);
      this.warnings.push(merged);
    }
    this.workspace = undefined;
    const { replaced } = await commitFile(workspace, this.output, { overwrite: Boolean(this.options.overwrite) });
    this.notes.push(`${this.format}: ${this.files.length} frame(s), plays ${plays === 0 ? 'forever' : `${plays} time(s)`}`);
    this.logger.debug(`animation sink: wrote ${this.output}`);
    return { output: this.output, framesWritten: this.files.length, replaced: replaced ? 1 : 0, notes: [...this.notes], warnings: [...this.warnings] };
  }

  /** Each frame's delay: up to the next frame's pts; the last frame keeps its own duration. */
  private delays(): number[] {
    const pts = this.ptsMs;
    const gaps = pts.slice(1).map((p, i) => p - pts[i]);
    const last = this.lastDurationMs ?? gaps.at(-1) ?? 100;
    const delays = [...gaps, last];
    if (this.format === 'gif' && delays.some((d) => d % 10 !== 0)) {
      const rounded = `${this.output}: GIF stores delays in hundredths of a second; ${delays.filter((d) => d % 10 !== 0).length} frame delay(s) rounded to the nearest 10 ms`;
      this.warnings.push(rounded);
    }
    return delays;
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
