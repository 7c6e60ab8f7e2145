import { rm } from 'node:fs/promises';
import { UpframeError, type Logger, type Rational } from '@upframe/core';
import { startTool, type RunningTool } from './child-process.js';
import { encoderFailureMessage } from './encoder-exit.js';
import type { NutWriter } from './nut-writer.js';
import type { PartJournal } from './part-journal.js';

/** Where finished parts are committed: the local run's journal, or one part of a cluster job (cluster-part-store.ts). */
export type PartStore = Pick<PartJournal, 'dir' | 'nextFrame' | 'temporaryPath' | 'commit'>;
import { diskFullFromToolOutput, explainWriteError } from './write-errors.js';

/**
 * Container of the parts. NUT keeps the encoder's time base, so no pts is rounded (Matroska
 * rounds to milliseconds); Matroska is used when the output is Matroska/WebM anyway, whose time
 * base is milliseconds too, because only it carries VP9's alpha plane (BlockAdditional) through a
 * stream copy. The join stream-copies out of either.
 */
export type PartFormat = { readonly ext: 'nut'; readonly muxer: 'nut' } | { readonly ext: 'mkv'; readonly muxer: 'matroska' };
export const NUT_PARTS: PartFormat = { ext: 'nut', muxer: 'nut' };
export const MATROSKA_PARTS: PartFormat = { ext: 'mkv', muxer: 'matroska' };

export interface PartsWriterOptions {
  readonly ffmpeg: string;
  readonly journal: PartStore;
  readonly nut: NutWriter;
  /** Encoder arguments for the video stream (codec, filters, pixel format, colour). */
  readonly videoArgs: readonly string[];
  /** Timing arguments (passthrough, encoder time base). */
  readonly timingArgs: readonly string[];
  readonly timeBase: Rational;
  readonly partSeconds: number;
  readonly format: PartFormat;
  readonly logger: Logger;
}

interface OpenPart {
  readonly tool: RunningTool;
  readonly temporary: string;
  readonly firstFrame: number;
  readonly firstPts: number;
  lastPts: number;
  frames: number;
}

/**
 * Encodes the video as consecutive parts, each its own encoder process (so each starts with a
 * keyframe), cut at the first frame at least `partSeconds` after the part's start. A finished part
 * is committed to the journal (fsync + rename) while the next one is already encoding; commits
 * happen strictly in order. Nothing here touches the output path: only the join does.
 */
export class PartsWriter {
  private part?: OpenPart;
  private committing: Promise<void> = Promise.resolve();
  private failed?: UpframeError;
  private readonly ticks: number;

  constructor(private readonly o: PartsWriterOptions) {
    this.ticks = (o.partSeconds * o.timeBase.den) / o.timeBase.num;
  }

  /** Frames of every part committed so far. */
  get committedFrames(): number {
    return this.o.journal.nextFrame;
  }

  /** `pts` is the frame's output pts in `timeBase` (origin subtracted). */
  async write(index: number, pts: number, data: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.part && pts - this.part.firstPts >= this.ticks) this.cut();
    const part = (this.part ??= this.startPart(index, pts));
    const stdin = part.tool.child.stdin!;
    try {
      stdin.write(this.o.nut.frameHeader(pts, data.length));
      await new Promise<void>((done, fail) => stdin.write(data, (error) => (error ? fail(error) : done())));
    } catch (error) {
      throw this.failed ?? (await this.encoderError(part, `the encoder of the part from frame ${part.firstFrame} stopped accepting frames at frame ${index}`, error));
    }
    part.lastPts = pts;
    part.frames++;
  }

  /** Ends the last part and waits until every part is committed. */
  async finish(): Promise<void> {
    if (this.part) this.cut();
    await this.committing;
    if (this.failed) throw this.failed;
  }

  /** Kills the encoder and removes the part being written; committed parts stay. */
  async kill(): Promise<void> {
    const part = this.part;
    this.part = undefined;
    if (part) {
      await part.tool.kill();
      await rm(part.temporary, { force: true });
    }
    await this.committing.catch(() => undefined);
  }

  private startPart(firstFrame: number, firstPts: number): OpenPart {
    const temporary = this.o.journal.temporaryPath(this.o.format.ext);
    const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-f', 'nut', '-i', 'pipe:0', '-map', '0:v:0', ...this.o.videoArgs, ...this.o.timingArgs, '-f', this.o.format.muxer, '-y', temporary];
    this.o.logger.debug(`video sink: part from frame ${firstFrame}: ffmpeg ${args.join(' ')}`);
    const tool = startTool(this.o.ffmpeg, args, { stdin: 'pipe', stdout: 'ignore' }, 'encode');
    tool.child.stdin!.write(this.o.nut.header());
    return { tool, temporary, firstFrame, firstPts, lastPts: firstPts, frames: 0 };
  }

  /** Closes the open part's input and queues its commit behind the ones before it. */
  private cut(): void {
    const part = this.part!;
    this.part = undefined;
    part.tool.child.stdin!.end();
    this.committing = this.committing.then(async () => {
      if (this.failed) return;
      const status = await part.tool.exited;
      if (status.code !== 0) {
        this.failed = await this.encoderError(part, `the encoder of the part from frame ${part.firstFrame} failed`);
        return;
      }
      try {
        const record = await this.o.journal.commit(part.temporary, { firstFrame: part.firstFrame, frames: part.frames, firstPts: part.firstPts, lastPts: part.lastPts }, this.o.format.ext);
        this.o.logger.debug(`video sink: committed ${record.file}: frames ${record.firstFrame}–${record.firstFrame + record.frames - 1}, ${record.bytes} bytes`);
      } catch (error) {
        await rm(part.temporary, { force: true });
        this.failed = await explainWriteError(error, this.o.journal.dir);
      }
    });
  }

  private async encoderError(part: OpenPart, what: string, cause?: unknown): Promise<UpframeError> {
    const status = await Promise.race([part.tool.exited, new Promise<undefined>((done) => setTimeout(() => done(undefined), 2000).unref())]);
    const stderr = part.tool.stderrTail();
    await part.tool.kill();
    await rm(part.temporary, { force: true });
    const diskFull = await diskFullFromToolOutput(stderr, this.o.journal.dir, 'writing a part to');
    if (diskFull) return diskFull;
    return new UpframeError('FFMPEG_FAILED', encoderFailureMessage({ what, output: part.temporary, stages: [{ status, killedByUs: part.tool.killed }], stderr, cause }), { file: this.o.journal.dir, cause });
  }
}
