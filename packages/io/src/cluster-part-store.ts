import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UpframeError } from '@upframe/core';
import type { JoinCommandInput } from './join-parts.js';
import { hashFile, journalDir, type PartRecord, type StreamOrigin } from './part-journal.js';
import { explainWriteError } from './write-errors.js';

/** How the parts of a cluster job are joined: the same for every part, so any part's record carries it. */
export type ClusterJoinArgs = Omit<JoinCommandInput, 'list' | 'output'>;

/** What a worker records beside a committed part (`part-00003.json`): the part, and what it was made from. */
export interface ClusterPartRecord {
  readonly index: number;
  /** Names the input file and every pixel-affecting setting; a part is reused only when it matches. */
  readonly fingerprint: string;
  readonly record: PartRecord;
  readonly origin: StreamOrigin;
  readonly join: ClusterJoinArgs;
}

export interface ClusterPartSpec {
  readonly output: string;
  readonly index: number;
  readonly firstFrame: number;
  readonly fingerprint: string;
}

const name = (index: number) => `part-${String(index).padStart(5, '0')}`;

/**
 * One part of a cluster job, committed into the job's journal folder (`OUT.upframe/`) that every
 * worker shares. Unlike the local journal there is no shared index file to update (several workers
 * commit at once): each part is its media file plus a record written after it, both by
 * fsync + rename, so a record exists only for a complete part, and a part redone after a lost lock
 * replaces its files whole.
 */
export class ClusterPartStore {
  readonly dir: string;
  private committed = 0;

  constructor(private readonly spec: ClusterPartSpec, private readonly origin: StreamOrigin, private readonly join: ClusterJoinArgs) {
    this.dir = journalDir(spec.output);
  }

  get nextFrame(): number {
    return this.spec.firstFrame + this.committed;
  }

  temporaryPath(ext: string): string {
    return join(this.dir, `.part-${randomBytes(6).toString('hex')}.tmp.${ext}`);
  }

  async commit(temporary: string, part: Omit<PartRecord, 'file' | 'bytes' | 'sha256'>, ext: string): Promise<PartRecord> {
    if (this.committed > 0) throw new UpframeError('INTERNAL', `cluster part ${this.spec.index} was cut in two; a part is one encoder run`);
    const file = `${name(this.spec.index)}.${ext}`;
    await fsync(temporary);
    const record: PartRecord = { ...part, file, bytes: (await stat(temporary)).size, sha256: await hashFile(temporary) };
    await rename(temporary, join(this.dir, file));
    const entry: ClusterPartRecord = { index: this.spec.index, fingerprint: this.spec.fingerprint, record, origin: this.origin, join: this.join };
    await writeDurably(join(this.dir, `${name(this.spec.index)}.json`), `${JSON.stringify(entry, null, 1)}\n`);
    await fsync(this.dir);
    this.committed = part.frames;
    return record;
  }

  static async prepare(output: string): Promise<void> {
    const dir = journalDir(output);
    await mkdir(dir, { recursive: true }).catch(async (error: unknown) => {
      throw await explainWriteError(error, dir);
    });
  }
}

/** The record of part `index` of the job writing `output`, or undefined when none is committed. */
export async function readClusterPart(output: string, index: number): Promise<ClusterPartRecord | undefined> {
  const text = await readFile(join(journalDir(output), `${name(index)}.json`), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as ClusterPartRecord;
  } catch {
    return undefined;
  }
}

/**
 * The committed part `index` when it was made from the same input and settings (`fingerprint`)
 * and its file still has the recorded size and hash; undefined when it must be (re)done.
 */
export async function verifiedClusterPart(output: string, index: number, fingerprint: string): Promise<ClusterPartRecord | undefined> {
  const entry = await readClusterPart(output, index);
  if (!entry || entry.fingerprint !== fingerprint) return undefined;
  const path = join(journalDir(output), entry.record.file);
  const size = (await stat(path).catch(() => undefined))?.size;
  if (size !== entry.record.bytes || (await hashFile(path)) !== entry.record.sha256) return undefined;
  return entry;
}

async function writeDurably(file: string, text: string): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
