import { join } from 'node:path';
import { UpframeError, type Logger } from '@upframe/core';
import { runTool } from './child-process.js';
import { joinCommand, writeConcatList, type JoinCommandInput } from './join-parts.js';
import { inputIdentity, PartJournal, type StreamOrigin } from './part-journal.js';
import { PartsWriter, type PartsWriterOptions } from './parts-writer.js';
import { diskFullFromToolOutput } from './write-errors.js';

/** Default part length: long enough that restarting the encoder per part costs under 2% (docs/benchmarks.md, "Resumable output"). */
export const DEFAULT_PART_SECONDS = 60;

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
  async join(ffmpeg: string, temporary: string, command: Omit<JoinCommandInput, 'list' | 'output'>): Promise<void> {
    await this.writer?.finish();
    const origin = this.journal.data.origin;
    if (!origin || this.journal.parts.length === 0) throw new UpframeError('INTERNAL', `no parts to join in ${this.journal.dir}`);
    const list = join(this.journal.dir, 'parts.ffconcat');
    await writeConcatList(list, this.journal.dir, this.journal.parts, origin);
    const result = await runTool(ffmpeg, joinCommand({ ...command, list, output: temporary }));
    if (result.code !== 0) {
      const diskFull = await diskFullFromToolOutput(result.stderr, temporary, 'joining the parts into');
      if (diskFull) throw diskFull;
      throw new UpframeError('FFMPEG_FAILED', `ffmpeg could not join the ${this.journal.parts.length} parts in ${this.journal.dir} (exit ${result.code}):\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`, { file: this.journal.dir });
    }
  }

  /** After the output is in place: the journal and its parts go. */
  remove(): Promise<void> {
    return this.journal.remove();
  }

  /** Stops the encoder and drops the part being written; committed parts and the journal stay. */
  async abort(): Promise<void> {
    await this.writer?.kill();
  }
}
