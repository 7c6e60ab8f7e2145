import { resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { cancelledError, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSource, Logger, SourceInfo, SourceOptions } from '@upframe/core';
import { decodeAnimation, firstTransparentFrame } from './animation-decoder.js';
import { ANIMATION_TIME_BASE, probeAnimation, type AnimationDetails, type AnimationProbe } from './animation-probe.js';
import { resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpeg-binaries.js';
import { assertInputFile, identityOf } from './input-file.js';
import { binaryOptions } from './stage-options.js';

/**
 * Reads an animated GIF, WebP or PNG (APNG) as a sequence: every frame, in order, each at the
 * sum of the delays before it (milliseconds), each lasting its own delay. The layout is RGBA only
 * when some pixel of some frame is not fully opaque; a palette or alpha channel nobody uses does not count.
 */
@injectable()
export class AnimatedImageSource implements FrameSource {
  readonly name = 'animation';
  private info?: SourceInfo;
  private probe?: AnimationProbe;
  private binaries?: FfmpegBinaries;

  constructor(
    @inject(TOKENS.SourceOptions) private readonly options: SourceOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async open(signal?: AbortSignal): Promise<SourceInfo> {
    if (this.info) return this.info;
    const file = resolve(this.options.input);
    const stats = await assertInputFile(file);
    const probe = await probeAnimation(file);
    if (!probe) throw new UpframeError('INPUT_INVALID', `${file} is not an animated GIF, WebP or PNG`, { file });
    // Only APNG needs ffmpeg; GIF and WebP never start it.
    const binaries = probe.format === 'apng' ? await resolveFfmpegBinaries(binaryOptions(this.options.extra)) : undefined;
    const transparentAt = await firstTransparentFrame(file, probe, binaries?.ffmpeg, signal);
    const frames = probe.pts.length;
    const uniform = probe.durations.every((d) => d === probe.durations[0]);
    this.logger.debug(
      `animation source: ${file} ${probe.format} ${probe.width}x${probe.height}, ${frames} frame(s), plays ${probe.plays || 'forever'}, ` +
        (transparentAt === undefined ? 'opaque (every pixel)' : `transparent from frame ${transparentAt + 1}`),
    );
    const warnings = [
      ...(probe.bitDepth > 8 ? [`${file}: ${probe.bitDepth}-bit APNG read as 8-bit per sample`] : []),
      ...(probe.truncated ? [`${file} is cut short (${probe.truncated}): its ${frames} readable frame(s) are upscaled (the last may be incomplete); any frames after them are lost`] : []),
    ];
    const details: AnimationDetails = { animationFormat: probe.format, plays: probe.plays, lastFrameDuration: probe.durations.at(-1) ?? 0 };
    this.info = {
      kind: 'animation',
      path: file,
      width: probe.width,
      height: probe.height,
      layout: transparentAt === undefined ? 'rgb24' : 'rgba',
      timeBase: ANIMATION_TIME_BASE,
      ...(uniform && probe.durations[0] > 0 ? { frameRate: { num: 1000, den: probe.durations[0] } } : {}),
      variableFrameRate: !uniform,
      frameCount: frames,
      frameCountExact: true,
      bitDepth: 8,
      details: { ...details, transparentFrame: transparentAt },
      identity: identityOf(file, stats),
      ...(warnings.length ? { warnings } : {}),
    };
    this.probe = probe;
    this.binaries = binaries;
    return this.info;
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    const info = await this.open(signal);
    const probe = this.probe!;
    let index = 0;
    for await (const data of decodeAnimation(info.path, probe, info.layout, this.binaries?.ffmpeg, signal)) {
      if (signal?.aborted) throw cancelledError(signal.reason);
      // Frames past the announced count keep coming, so the pipeline's exact count check names the surplus.
      const known = index < probe.pts.length;
      const duration = known ? probe.durations[index] : probe.durations.at(-1)!;
      const pts = known ? probe.pts[index] : probe.pts.at(-1)! + (index - probe.pts.length + 1) * duration;
      yield { index, pts, duration, timeBase: info.timeBase, width: info.width, height: info.height, layout: info.layout, data };
      index++;
    }
  }

  async dispose(): Promise<void> {}
}
