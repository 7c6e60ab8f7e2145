import { extname, join, resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { channelsOf, sampleDepthOf, TOKENS, UpframeError } from '@upframe/core';
import { imageDepthWarning, storedImageDepth } from './image-depth.js';
import type { Frame, FrameSink, ImageFormat, Logger, SinkOpenInfo, SinkOptions, SinkResult } from '@upframe/core';
import { guardOutput } from './output-guard.js';
import { commitDirectory, createWorkspace, discardWorkspace, sweepAndReport, type Workspace } from './temp-workspace.js';
import { chooseFormat } from './format-choice.js';
import { encodeImage } from './image-codec.js';
import { extensionFor, writableImageFormats } from './image-formats.js';
import { outputNameFor } from './sequence-naming.js';
import { OwnedSelector } from './owned-selector.js';
import { explainWriteError } from './write-errors.js';
import { isString, optionOf } from './stage-options.js';
import type { FrameRecord, SequenceJournal } from './sequence-journal.js';
import { openSequenceJournal, resumableWriteError, sequenceIsResumable } from './sequence-resume.js';

/**
 * Writes frames as numbered images into a directory. Each frame keeps its source file's name with
 * the chosen format's extension; the frames are built beside the output and committed on `close()`
 * (a new folder appears whole; an existing one only gains or replaces files). They are built in the
 * journal folder `OUT.upframe/` (sequence-journal.ts), each frame recorded once durable, so an
 * interrupted run is continued by the same command; with `partSeconds` 0 in a private workspace
 * instead, of which nothing is kept.
 */
@injectable()
export class SequenceSink implements FrameSink {
  readonly name = 'sequence';
  /** 16-bit frames are written as 16-bit PNG/TIFF; other formats get them rounded to 8 bits, with a warning. */
  readonly sampleDepths = [8, 16] as const;
  private info?: SinkOpenInfo;
  private stored?: SinkResult['stored'];
  private readonly warnings: string[] = [];
  private output = '';
  private workspace?: Workspace;
  /** Set when the frames are journaled (resumable); the workspace is then its `frames/` folder. */
  private journal?: SequenceJournal;
  private replaced = 0;
  private existingEntries = 0;
  private readonly names = new Set<string>();
  private readonly formats = new Map<string, number>();
  private readonly notes: string[] = [];
  private readonly selector: OwnedSelector;

  constructor(
    @inject(TOKENS.SinkOptions) private readonly options: SinkOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    this.selector = new OwnedSelector(options.formatSelector);
  }

  async open(info: SinkOpenInfo, signal?: AbortSignal): Promise<void> {
    this.output = resolve(this.options.output);
    const guard = await guardOutput(this.output, { kind: 'dir', overwrite: this.options.overwrite, allowOtherFiles: this.options.allowOtherFiles, inputs: [info.source.path] });
    this.existingEntries = guard.existingEntries;
    await this.selector.initialize(signal);
    this.notes.push(...(await sweepAndReport(this.output, this.logger)));
    this.info = info;
    const opened = sequenceIsResumable(this.options.extra) ? await openSequenceJournal(this.output, info, this.options.extra, this.options.formatSelector, this.logger) : undefined;
    if (!opened) {
      this.workspace = await createWorkspace(this.output);
      return;
    }
    const { journal, notes } = opened;
    this.journal = journal;
    this.workspace = { dir: journal.framesDir, file: '' };
    this.notes.push(...notes);
    for (const record of journal.frames) this.count(record.file, record.choice.format);
    if (journal.committed > 0) this.options.formatSelector?.resume?.(journal.frames.map((r: FrameRecord) => r.choice));
  }

  /** Frames an interrupted earlier run wrote and that are still intact: the pipeline starts after them. */
  committedFrames(): number {
    return this.journal?.committed ?? 0;
  }

  /** Claims an output name (two frames must never share one) and counts its format for the summary. */
  private count(name: string, format: ImageFormat): void {
    if (this.names.has(name)) throw new UpframeError('OUTPUT_FAILED', `two frames map to the same output file ${name} in ${this.output}`, { file: join(this.output, name) });
    this.names.add(name);
    this.stored ??= storedImageDepth(this.info!, format);
    const reduced = imageDepthWarning(this.info!, format, this.output);
    if (reduced && !this.warnings.includes(reduced)) this.warnings.push(reduced);
    this.formats.set(format, (this.formats.get(format) ?? 0) + 1);
  }

  async write(frame: Frame): Promise<void> {
    if (!this.info || !this.workspace) throw new UpframeError('USAGE', 'SequenceSink.write() called before open() or after close()/abort()');
    const image = { width: frame.width, height: frame.height, channels: channelsOf(frame.layout), ...(sampleDepthOf(frame.layout) === 16 ? { depth: 16 as const } : {}), data: frame.data };
    const { choice, note } = await chooseFormat(this.options.formatSelector, image, frame.index, {
      supported: writableImageFormats(),
      frameCount: this.info.source.frameCount,
      sourceBitDepth: this.info.source.bitDepth,
      sourceFormat: this.info.source.imageFormat,
      sourceQuality: this.info.source.imageQuality,
    });
    if (note && !this.notes.includes(note)) this.notes.push(note);
    const ext = extensionFor(choice.format, frame.sourceName ? extname(frame.sourceName) : undefined);
    const name = outputNameFor(frame.index, ext, frame.sourceName);
    this.count(name, choice.format);
    const flattenAlpha = optionOf(this.options.extra, 'flattenAlpha', 'a colour such as "#ffffff"', isString);
    // A journaled frame is written under a temporary name and only becomes a frame once durable.
    const target = this.journal ? this.journal.temporaryPath() : join(this.workspace.dir, name);
    try {
      const flattened = await encodeImage(image, choice, target, { flattenAlpha, reportAs: join(this.output, name) });
      if (flattened && !this.notes.includes(flattened)) this.notes.push(flattened);
      await this.journal?.commit(target, { index: frame.index, file: name, choice }).catch(async (error: unknown) => {
        throw await explainWriteError(error, join(this.output, name));
      });
    } catch (error) {
      throw this.journal ? resumableWriteError(error, this.journal) : error;
    }
  }

  async close(): Promise<SinkResult> {
    if (!this.workspace) throw new UpframeError('USAGE', 'SequenceSink.close() called before open() or twice');
    if (this.names.size === 0) {
      await this.abort();
      throw new UpframeError('OUTPUT_FAILED', `no frames were written to ${this.output}`, { file: this.output });
    }
    const workspace = this.workspace;
    this.workspace = undefined;
    const { replaced } = await commitDirectory(workspace, this.output, { overwrite: Boolean(this.options.overwrite) });
    this.replaced = replaced;
    // The frames are in place: the journal (its records, header and now empty folder) goes.
    await this.journal?.remove();
    this.journal = undefined;
    const kept = this.existingEntries - replaced;
    if (kept > 0) {
      // The folder now mixes this run's frames with older files: worth a word, since tools reading it will see both.
      const message = `left ${kept} file(s) already in ${this.output} as they were (not written by this run)`;
      this.logger.warn(message);
      this.notes.push(message);
    }
    const summary = this.options.formatSelector?.summary?.() ?? [...this.formats].map(([f, n]) => `${n} × ${f}`).join(', ');
    this.logger.debug(`sequence sink: wrote ${this.names.size} frames to ${this.output}`);
    return { output: this.output, framesWritten: this.names.size, replaced: this.replaced, notes: [summary, ...this.notes].filter(Boolean), warnings: [...this.warnings], stored: this.stored };
  }

  async abort(_reason?: unknown): Promise<void> {
    const journal = this.journal;
    this.journal = undefined;
    if (journal) {
      // Committed frames stay for a resume (Ctrl-C included); a journal without any goes.
      if (journal.committed === 0) await journal.remove();
    } else await discardWorkspace(this.workspace);
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
