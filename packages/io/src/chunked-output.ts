import { join } from 'node:path';
import { isUpframeError, UpframeError, type Logger, type SourceInfo } from '@upframe/core';
import type { EncoderSettings } from './encoder-args.js';
import { runTool } from './child-process.js';
import { crashPoint } from './crash-points.js';
import { joinCommand, writeConcatList, type JoinCommandInput } from './join-parts.js';
import { inputIdentity, PartJournal, type StreamOrigin } from './part-journal.js';
import { PartsWriter, type PartsWriterOptions } from './parts-writer.js';
import { describeFree, diskFullError, diskFullFromToolOutput, freeBytes } from './write-errors.js';

/** Default part length: long enough that restarting the encoder per part costs under 2% (docs/benchmarks.md, "Resumable output"). */
export const DEFAULT_PART_SECONDS = 60;

/** The encoder's pixel-affecting settings, for the journal (audio and subtitles are only muxed at the join). */
export function encoderJournalSettings(encoder: EncoderSettings): Record<string, string> {
  return { codec: encoder.codec, crf: String(encoder.crf ?? ''), preset: String(encoder.preset ?? ''), pixelFormat: encoder.pixelFormat, encoderArgs: encoder.encoderArgs.join(' ') };
}

export interface ChunkedOutputOptions {
  readonly output: string;
  readonly input: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly partSeconds: number;
  readonly fresh: boolean;
  readonly logger: Logger;
}

/**
 * A video output written as journaled parts (part-journal.ts, parts-writer.ts) and joined at the
 * end without re-encoding (join-parts.ts). An interrupted run leaves the committed parts in
 * `OUT.upframe/`; the same command continues after them.
 */
export class ChunkedOutput {
  private writer?: PartsWriter;

  private constructor(private readonly journal: PartJournal, readonly notes: readonly string[]) {}

  static async open(o: ChunkedOutputOptions): Promise<ChunkedOutput> {
    const { journal, dropped } = await PartJournal.open(o.output, await inputIdentity(o.input), o.settings, o.partSeconds, o.fresh);
    for (const d of dropped) o.logger.warn(`resume: ${d}`);
    return new ChunkedOutput(journal, dropped);
  }

  get dir(): string {
    return this.journal.dir;
  }

  /** Frames [0, resumeFrame) are in committed parts: the run starts after them. */
  get resumeFrame(): number {
    return this.journal.nextFrame;
  }

  /** Length of a part, as the journal was started with (a resume with another length is refused). */
  get partSeconds(): number {
    return this.journal.data.partSeconds;
  }

  get partsDone(): number {
    return this.journal.parts.length;
  }

  get committedFrames(): number {
    return this.journal.nextFrame;
  }

  get lastPts(): number | undefined {
    return this.journal.parts.at(-1)?.lastPts;
  }

  get origin(): StreamOrigin | undefined {
    return this.journal.data.origin;
  }

  /** "resuming at frame 12,480 of 34,560: 11 of 30 parts done (…)", or undefined for a new output. */
  resumeMessage(source: SourceInfo): string | undefined {
    const from = this.resumeFrame;
    if (from === 0) return undefined;
    const total = source.frameCount;
    const rate = source.frameRate;
    // On a constant-rate grid a part holds the frames starting less than partSeconds after its first.
    const perPart = rate && rate.num > 0 ? Math.ceil((this.journal.data.partSeconds * rate.num) / rate.den - 1e-9) : undefined;
    const parts = total && perPart ? Math.max(this.partsDone, Math.ceil(total / perPart)) : undefined;
    return `resuming at frame ${from.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''}: ${this.partsDone}${parts ? ` of ${parts}` : ''} parts done (${this.dir})`;
  }

  /** Bytes of the committed parts (the join needs as much again). */
  get partBytes(): number {
    return this.journal.parts.reduce((sum, p) => sum + p.bytes, 0);
  }

  async begin(origin: StreamOrigin, writer: Omit<PartsWriterOptions, 'journal'>): Promise<void> {
    if (!this.journal.data.origin) await this.journal.setOrigin(origin);
    this.writer = new PartsWriter({ ...writer, journal: this.journal });
  }

  write(index: number, pts: number, data: Uint8Array): Promise<void> {
    if (!this.writer) throw new UpframeError('INTERNAL', 'ChunkedOutput.write() before begin()');
    return this.writer.write(index, pts, data);
  }

  /** Commits the last part and joins every part into `temporary` (the sink's workspace file). */
  async join(ffmpeg: string, ffprobe: string, temporary: string, command: Omit<JoinCommandInput, 'list' | 'output'>): Promise<void> {
    await this.writer?.finish();
    const origin = this.journal.data.origin;
    if (!origin || this.journal.parts.length === 0) throw new UpframeError('INTERNAL', `no parts to join in ${this.journal.dir}`);
    crashPoint('join-started');
    const list = join(this.journal.dir, 'parts.ffconcat');
    await writeConcatList(list, this.journal.dir, this.journal.parts, origin);
    const result = await runTool(ffmpeg, joinCommand({ ...command, list, output: temporary }), { role: 'join' });
    if (result.code !== 0) {
      const diskFull = await diskFullFromToolOutput(result.stderr, temporary, 'joining the parts into');
      if (diskFull) throw diskFull;
      throw new UpframeError('FFMPEG_FAILED', `ffmpeg could not join the ${this.journal.parts.length} parts in ${this.journal.dir} (exit ${result.code}):\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`, { file: this.journal.dir });
    }
    // ffmpeg can exit 0 after a failed write (a full disk at the trailer): the parts are removed
    // only once the joined file holds every frame.
    const expected = this.journal.nextFrame;
    const counted = await runTool(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', temporary], { role: 'join' });
    const packets = Number(counted.stdout.trim().split(/[\s,]+/)[0]);
    if (counted.code !== 0 || packets !== expected) {
      const free = await freeBytes(temporary);
      if (free !== undefined && free < this.partBytes) throw await diskFullError(temporary, new Error(`joined file holds ${packets || 0} of ${expected} frames`), 'joining the parts into');
      throw new UpframeError('FFMPEG_FAILED', `joining the parts in ${this.journal.dir} gave ${Number.isFinite(packets) ? packets : 'no readable'} frames, not ${expected}${counted.stderr ? `: ${counted.stderr.trim()}` : ''}`, { file: this.journal.dir });
    }
    await this.journal.setJoined(temporary);
    crashPoint('join-written');
  }

  /**
   * A full disk, said with what it takes to finish: the parts still to encode (at the bytes per
   * frame of the parts so far) plus a copy of them all for the join. The committed parts stay.
   */
  async explain(error: unknown, totalFrames: number | undefined): Promise<unknown> {
    if (!isUpframeError(error, 'DISK_FULL')) return error;
    const done = this.journal.nextFrame;
    const bytes = this.partBytes;
    const perFrame = done > 0 ? bytes / done : undefined;
    const remaining = totalFrames !== undefined && perFrame !== undefined ? Math.max(0, totalFrames - done) * perFrame : undefined;
    const needed = remaining !== undefined ? `about ${mb(remaining + bytes + remaining)} more are needed to finish (${mb(remaining)} of parts still to encode, then the join copies all ${mb(bytes + remaining)})` : 'the join needs as much again as the parts take';
    return new UpframeError('DISK_FULL', `disk full while writing ${this.journal.dir} (${describeFree(await freeBytes(this.journal.dir))}); ${needed}`, {
      file: this.journal.dir,
      cause: error,
      hint: `Free space on that disk and run the same command again: the ${this.journal.parts.length} committed part(s) (frames 0–${Math.max(0, done - 1)}) in ${this.journal.dir} are kept and the run resumes after them.`,
    });
  }

  /** After the output is in place: the journal and its parts go. */
  remove(): Promise<void> {
    return this.journal.remove();
  }

  /** Stops the encoder and drops the part being written; committed parts and the journal stay (an empty journal goes). */
  async abort(): Promise<void> {
    await this.writer?.kill();
    if (this.journal.parts.length === 0) await this.journal.remove();
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
