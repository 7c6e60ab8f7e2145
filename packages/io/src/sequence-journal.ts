import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UpframeError, type FormatChoice } from '@upframe/core';
import { fsyncPathSync, hashFile, syncAndHash, writeFileDurablySync } from './durable-file.js';
import { journalDir } from './part-journal.js';
import { inputChanges, type SequenceInputIdentity } from './sequence-input-identity.js';
import { explainWriteError } from './write-errors.js';

/** Bump when the journal's meaning changes; a journal of another version is never resumed. */
export const SEQUENCE_JOURNAL_VERSION = 1;
const HEADER = 'journal.json';
const RECORDS = 'frames.jsonl';
const FRAMES = 'frames';

export interface SequenceJournalHeader {
  readonly version: number;
  readonly kind: 'sequence';
  readonly output: string;
  readonly input: SequenceInputIdentity;
  /** Everything that changes the frames' bytes (model, backend, format and its options…), as text. */
  readonly settings: Readonly<Record<string, string>>;
}

/** One committed frame: `file` inside the journal's `frames/` folder, named as in the output. */
export interface FrameRecord {
  readonly index: number;
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  /** How it was encoded, so a resumed run reports and continues with the same choice. */
  readonly choice: FormatChoice;
}

/**
 * The journal of a frame-folder output, `OUT.upframe/`: `journal.json` (input and settings, written
 * once), the committed frames in `frames/` under their output names, and `frames.jsonl`, one line
 * appended per frame after the frame is durable (temp file, fsync, rename, fsync of the folder). A
 * crash can leave a torn last line or a frame file without a line; both are ignored and swept.
 */
export class SequenceJournal {
  private constructor(readonly dir: string, readonly header: SequenceJournalHeader, private readonly records: FrameRecord[]) {}

  /**
   * Opens the journal for `output`: a new one, or the one an interrupted run with the same input
   * and settings left, keeping the frames from index 0 up to the first one that is missing or
   * differs from its record (that one and all after it are deleted, to be written again). Other
   * input or settings are refused, naming the change, unless `fresh` asks to start over.
   */
  static async open(output: string, input: SequenceInputIdentity, settings: Readonly<Record<string, string>>, fresh: boolean): Promise<{ journal: SequenceJournal; dropped: string[] }> {
    const dir = journalDir(output);
    if (fresh) await rm(dir, { recursive: true, force: true });
    const old = await readHeader(dir);
    let journal: SequenceJournal;
    let dropped: string[] = [];
    if (old) {
      const changes = headerChanges(old, input, settings);
      if (changes.length) {
        const frames = old.kind === 'sequence' ? (await readRecords(dir)).length : 0;
        throw new UpframeError('RESUME_MISMATCH', `${dir} holds ${old.kind === 'sequence' ? `${frames} frame(s)` : 'the parts'} of an interrupted run with other settings: ${changes.join('; ')}`, {
          file: dir,
          hint: 'Run the same command as before to resume it, or add --fresh to start over (the old frames are removed).',
        });
      }
      const records = await readRecords(dir);
      const kept = await verifiedPrefix(dir, records);
      if (kept < records.length) {
        const bad = records[kept];
        dropped = [`frame ${bad.index} (${bad.file}) is missing or changed: frames from ${bad.index} on are written again`];
      }
      journal = new SequenceJournal(dir, old, records.slice(0, kept));
    } else {
      // No header: nothing in the folder was ever recorded (a run killed before its first save).
      await rm(dir, { recursive: true, force: true });
      await mkdir(join(dir, FRAMES), { recursive: true }).catch(async (error: unknown) => {
        throw await explainWriteError(error, dir);
      });
      journal = new SequenceJournal(dir, { version: SEQUENCE_JOURNAL_VERSION, kind: 'sequence', output, input, settings }, []);
      writeFileDurablySync(join(dir, HEADER), `${JSON.stringify(journal.header, null, 1)}\n`);
    }
    await journal.sweep();
    // Rewritten whole so that a torn last line is gone before the next append.
    writeFileDurablySync(join(dir, RECORDS), journal.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return { journal, dropped };
  }

  get frames(): readonly FrameRecord[] {
    return this.records;
  }

  /** Frames [0, committed) are durable and verified; the run writes from here. */
  get committed(): number {
    return this.records.length;
  }

  get framesDir(): string {
    return join(this.dir, FRAMES);
  }

  /** A private name for a frame being written; it becomes a frame only through {@link commit}. */
  temporaryPath(): string {
    return join(this.dir, `.frame-${randomBytes(6).toString('hex')}.tmp`);
  }

  /** Makes a written frame durable under its output name, then records it. Frames come in index order. */
  async commit(temporary: string, frame: { index: number; file: string; choice: FormatChoice }): Promise<FrameRecord> {
    if (frame.index !== this.records.length) throw new UpframeError('INTERNAL', `frame ${frame.index} committed to ${this.dir}, but frame ${this.records.length} is next`);
    // Few awaits (see durable-file.ts): each can wait for an inference batch on the main thread.
    const { bytes, sha256 } = await syncAndHash(temporary);
    renameSync(temporary, join(this.framesDir, frame.file));
    fsyncPathSync(this.framesDir);
    const record: FrameRecord = { index: frame.index, file: frame.file, bytes, sha256, choice: frame.choice };
    appendDurablySync(join(this.dir, RECORDS), `${JSON.stringify(record)}\n`);
    this.records.push(record);
    return record;
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Temporaries of a killed run, frames no kept record names, anything else that is not ours. */
  private async sweep(): Promise<void> {
    const ours = new Set([HEADER, RECORDS, FRAMES]);
    for (const name of await readdir(this.dir)) if (!ours.has(name)) await rm(join(this.dir, name), { recursive: true, force: true });
    await mkdir(this.framesDir, { recursive: true });
    const named = new Set(this.records.map((r) => r.file));
    for (const name of await readdir(this.framesDir)) if (!named.has(name)) await rm(join(this.framesDir, name), { recursive: true, force: true });
  }
}

/** What differs between a journal and this run, in words ("format: png → webp"); empty when it may resume. */
export function headerChanges(old: SequenceJournalHeader, input: SequenceInputIdentity, settings: Readonly<Record<string, string>>): string[] {
  if (old.kind !== 'sequence') return [`it is the journal of a ${old.kind ?? 'video'} output, not of a frame folder`];
  if (old.version !== SEQUENCE_JOURNAL_VERSION) return [`journal format ${old.version} → ${SEQUENCE_JOURNAL_VERSION}`];
  const changes = inputChanges(old.input, input);
  for (const key of new Set([...Object.keys(old.settings), ...Object.keys(settings)])) {
    if (old.settings[key] !== settings[key]) changes.push(`${key}: ${old.settings[key] ?? '(unset)'} → ${settings[key] ?? '(unset)'}`);
  }
  return changes;
}

async function readHeader(dir: string): Promise<SequenceJournalHeader | undefined> {
  const text = await readFile(join(dir, HEADER), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as SequenceJournalHeader;
  } catch (error) {
    throw new UpframeError('RESUME_MISMATCH', `${join(dir, HEADER)} cannot be read (${(error as Error).message})`, { file: dir, hint: 'Add --fresh to start over.' });
  }
}

/** The records in order, up to the first line that is torn, unreadable or out of sequence. */
export async function readRecords(dir: string): Promise<FrameRecord[]> {
  const text = await readFile(join(dir, RECORDS), 'utf8').catch(() => '');
  const records: FrameRecord[] = [];
  // A line counts only once its newline is written: the last one may be torn.
  for (const line of text.split('\n').slice(0, -1)) {
    const record = parseRecord(line);
    if (!record || record.index !== records.length) break;
    records.push(record);
  }
  return records;
}

function parseRecord(line: string): FrameRecord | undefined {
  try {
    const r = JSON.parse(line) as FrameRecord;
    const ok = Number.isInteger(r.index) && typeof r.file === 'string' && !r.file.includes('/') && Number.isInteger(r.bytes) && typeof r.sha256 === 'string' && typeof r.choice?.format === 'string';
    return ok ? r : undefined;
  } catch {
    return undefined;
  }
}

/** How many records from the first have their frame on disk with the recorded size and hash. */
async function verifiedPrefix(dir: string, records: readonly FrameRecord[]): Promise<number> {
  for (let k = 0; k < records.length; k++) {
    const path = join(dir, FRAMES, records[k].file);
    const size = (await stat(path).catch(() => undefined))?.size;
    if (size !== records[k].bytes || (await hashFile(path)) !== records[k].sha256) return k;
  }
  return records.length;
}

/** Appends a line and fsyncs it: a crash leaves the lines before it intact (a torn last line is ignored on reading). */
function appendDurablySync(file: string, text: string): void {
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
