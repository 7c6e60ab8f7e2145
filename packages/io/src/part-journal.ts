import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, renameSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UpframeError, type Rational } from '@upframe/core';
import { crashPoint } from './crash-points.js';
import { fsyncPathSync, hashFile, syncAndHash, writeFileDurablySync } from './durable-file.js';

export { hashFile } from './durable-file.js';
import { discardOnForcedExit } from './temp-workspace.js';
import { explainWriteError } from './write-errors.js';

/** Bump when the journal's meaning changes; a journal of another version is never resumed. */
export const JOURNAL_VERSION = 1;
const JOURNAL_FILE = 'journal.json';
const MIB = 1024 * 1024;

/** Which input a journal belongs to: cheap to compute, and changes when the file does. */
export interface InputIdentity {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** sha256 of the first and the last MiB. */
  readonly head: string;
  readonly tail: string;
}

/** One committed part: frames [firstFrame, firstFrame + frames), stored in `file` inside the journal folder. */
export interface PartRecord {
  readonly file: string;
  readonly firstFrame: number;
  readonly frames: number;
  /** Output pts of the part's first and last frame, in the journal's `timeBase`. */
  readonly firstPts: number;
  readonly lastPts: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** How the output's timeline was set up by the first frame; a resumed run must use the same. */
export interface StreamOrigin {
  readonly timeBase: Rational;
  /** Input pts of frame 0 (subtracted from every frame). */
  readonly firstPts: number;
  readonly videoOffsetSeconds: number;
}

export interface JournalData {
  readonly version: number;
  readonly output: string;
  readonly input: InputIdentity;
  /** Everything that changes the pixels, as the CLI names it (model, backend, codec, crf…). */
  readonly settings: Readonly<Record<string, string>>;
  readonly partSeconds: number;
  origin?: StreamOrigin;
  parts: PartRecord[];
  /**
   * Set once every part is joined into the finished file, just before it is moved into place: a
   * run stopped after that move but before the journal was removed left a complete output, which
   * this identifies (see {@link removeFinishedJournal}).
   */
  joined?: FileIdentity;
}

/** Size, modification time and the hashes of the first and last MiB of a file (its path aside). */
export type FileIdentity = Omit<InputIdentity, 'path'>;

export async function inputIdentity(path: string): Promise<InputIdentity> {
  const s = await stat(path);
  const head = await hashRange(path, 0, Math.min(MIB, s.size));
  const tail = await hashRange(path, Math.max(0, s.size - MIB), s.size);
  return { path, size: s.size, mtimeMs: Math.round(s.mtimeMs), head, tail };
}

async function hashRange(path: string, start: number, end: number): Promise<string> {
  const hash = createHash('sha256');
  if (end > start) for await (const chunk of createReadStream(path, { start, end: end - 1 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}


/** The journal folder of an output: beside it, named after it, so it is found again by the same command. */
export function journalDir(output: string): string {
  return `${output}.upframe`;
}

/** What differs between a journal and this run, in words ("crf: 18 → 20"); empty when it may resume. */
export function journalChanges(old: JournalData, input: InputIdentity, settings: Readonly<Record<string, string>>, partSeconds: number): string[] {
  const changes: string[] = [];
  if (old.version !== JOURNAL_VERSION) changes.push(`journal format ${old.version} → ${JOURNAL_VERSION}`);
  if (old.input.path !== input.path) changes.push(`input: ${old.input.path} → ${input.path}`);
  else if (old.input.size !== input.size || old.input.head !== input.head || old.input.tail !== input.tail || old.input.mtimeMs !== input.mtimeMs) {
    changes.push(`input file ${input.path} changed since (size ${old.input.size} → ${input.size} bytes, modified ${new Date(old.input.mtimeMs).toISOString()} → ${new Date(input.mtimeMs).toISOString()})`);
  }
  for (const key of new Set([...Object.keys(old.settings), ...Object.keys(settings)])) {
    if (old.settings[key] !== settings[key]) changes.push(`${key}: ${old.settings[key] ?? '(unset)'} → ${settings[key] ?? '(unset)'}`);
  }
  if (old.partSeconds !== partSeconds) changes.push(`--part-seconds: ${old.partSeconds} → ${partSeconds}`);
  return changes;
}

/**
 * The journal of a chunked video output: `OUT.upframe/journal.json` plus the committed parts.
 * Every change is written to a temporary file, fsynced and renamed over the old journal, and the
 * folder is fsynced, so after a crash the journal names exactly the parts that are complete.
 */
export class PartJournal {
  private constructor(readonly dir: string, readonly data: JournalData) {}

  /**
   * Opens the journal for `output`: a new one, or the one an interrupted run with the same input and
   * settings left (its parts verified by size and hash; the first bad part and everything after it
   * are dropped). A journal whose input or settings differ is refused, naming the change, unless
   * `fresh` asks to start over (the old journal is removed).
   */
  static async open(output: string, input: InputIdentity, settings: Readonly<Record<string, string>>, partSeconds: number, fresh: boolean): Promise<{ journal: PartJournal; dropped: string[] }> {
    const dir = journalDir(output);
    if (fresh) await rm(dir, { recursive: true, force: true });
    const old = await readJournal(dir);
    if (old) {
      const changes = journalChanges(old, input, settings, partSeconds);
      if (changes.length) {
        throw new UpframeError('RESUME_MISMATCH', `${dir} holds ${old.parts.length} part(s) of an interrupted run with other settings: ${changes.join('; ')}`, {
          file: dir,
          hint: 'Run the same command as before to resume it, or add --fresh to start over (the old parts are removed).',
        });
      }
      const dropped = await verifyParts(dir, old);
      const journal = new PartJournal(dir, old);
      discardOnForcedExit(dir, journal.parts.length === 0);
      await journal.sweepTemporaries();
      if (dropped.length) await journal.save();
      return { journal, dropped };
    }
    await mkdir(dir, { recursive: true }).catch(async (error: unknown) => {
      throw await explainWriteError(error, dir);
    });
    const journal = new PartJournal(dir, { version: JOURNAL_VERSION, output, input, settings, partSeconds, parts: [] });
    discardOnForcedExit(dir, true);
    await journal.sweepTemporaries();
    await journal.save();
    return { journal, dropped: [] };
  }

  get parts(): readonly PartRecord[] {
    return this.data.parts;
  }

  /** First frame no committed part holds. */
  get nextFrame(): number {
    const last = this.data.parts.at(-1);
    return last ? last.firstFrame + last.frames : 0;
  }

  /** A private name for a part being written; it only becomes a part through {@link commit}. */
  temporaryPath(ext: string): string {
    return join(this.dir, `.part-${randomBytes(6).toString('hex')}.tmp.${ext}`);
  }

  async setOrigin(origin: StreamOrigin): Promise<void> {
    this.data.origin = origin;
    await this.save();
  }

  /** Makes a finished part durable (fsync, rename, fsync the folder), then records it. */
  async commit(temporary: string, part: Omit<PartRecord, 'file' | 'bytes' | 'sha256'>, ext: string): Promise<PartRecord> {
    const file = `part-${String(this.data.parts.length).padStart(5, '0')}.${ext}`;
    const { bytes, sha256 } = await syncAndHash(temporary);
    renameSync(temporary, join(this.dir, file));
    fsyncPathSync(this.dir);
    crashPoint('part-renamed', this.data.parts.length + 1);
    const record: PartRecord = { ...part, file, bytes, sha256 };
    this.data.parts.push(record);
    discardOnForcedExit(this.dir, false);
    await this.save();
    return record;
  }

  /** Records the finished, joined file (still in the workspace) before it is moved into place. */
  async setJoined(file: string): Promise<void> {
    const { path: _path, ...identity } = await inputIdentity(file);
    this.data.joined = identity;
    await this.save();
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    discardOnForcedExit(this.dir, false);
  }

  private async save(): Promise<void> {
    writeFileDurablySync(join(this.dir, JOURNAL_FILE), `${JSON.stringify(this.data, null, 1)}\n`);
  }

  /** Temporaries of a killed run (a part being encoded, a journal being saved) and parts no journal names. */
  private async sweepTemporaries(): Promise<void> {
    const named = new Set([JOURNAL_FILE, ...this.data.parts.map((p) => p.file)]);
    for (const name of await readdir(this.dir)) if (!named.has(name)) await rm(join(this.dir, name), { force: true, recursive: true });
  }
}

/**
 * Removes the journal of `output` when it only describes `output` as it is now: a run that was
 * stopped between moving the joined file into place and removing its journal. Returns whether it did.
 */
export async function removeFinishedJournal(output: string): Promise<boolean> {
  const dir = journalDir(output);
  const data = await readJournal(dir).catch(() => undefined);
  if (!data?.joined) return false;
  const now = await inputIdentity(output).catch(() => undefined);
  const j = data.joined;
  if (!now || now.size !== j.size || now.mtimeMs !== j.mtimeMs || now.head !== j.head || now.tail !== j.tail) return false;
  await rm(dir, { recursive: true, force: true });
  return true;
}

async function readJournal(dir: string): Promise<JournalData | undefined> {
  const text = await readFile(join(dir, JOURNAL_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as JournalData;
  } catch (error) {
    throw new UpframeError('RESUME_MISMATCH', `${join(dir, JOURNAL_FILE)} cannot be read (${(error as Error).message})`, { file: dir, hint: 'Add --fresh to start over.' });
  }
}

/** Keeps the parts whose size and hash match; returns why the others were dropped. */
async function verifyParts(dir: string, data: JournalData): Promise<string[]> {
  for (let k = 0; k < data.parts.length; k++) {
    const part = data.parts[k];
    const path = join(dir, part.file);
    const size = (await stat(path).catch(() => undefined))?.size;
    const why = size === undefined ? 'missing' : size !== part.bytes ? `${size} bytes, not ${part.bytes}` : (await hashFile(path)) !== part.sha256 ? 'content changed' : undefined;
    if (why) {
      const dropped = data.parts.splice(k).map((p) => p.file);
      return [`${part.file} ${why}: parts from frame ${part.firstFrame} on are encoded again (${dropped.join(', ')})`];
    }
  }
  return [];
}
