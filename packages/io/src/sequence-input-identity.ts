import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputIdentity, type InputIdentity } from './part-journal.js';

/**
 * Which input a frame-folder journal belongs to. A video (or animation) file is identified as for
 * the video journal; a folder of frames by its files, since a folder's own stat does not change
 * when a frame in it is edited in place.
 */
export type SequenceInputIdentity = ({ readonly kind: 'file' } & InputIdentity) | FolderIdentity;

export interface FolderIdentity {
  readonly kind: 'folder';
  readonly path: string;
  readonly files: number;
  readonly bytes: number;
  /** sha256 over every file's name, size and mtime, in name order. */
  readonly digest: string;
}

/**
 * Identity of `path`. For a folder only `names` count when given (the frames the source reads), so
 * a note saved beside the frames does not stop a resume; else every plain file in it.
 */
export async function sequenceInputIdentity(path: string, names?: readonly string[]): Promise<SequenceInputIdentity> {
  if (!(await stat(path)).isDirectory()) return { kind: 'file', ...(await inputIdentity(path)) };
  const listed = names ?? (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  const hash = createHash('sha256');
  let bytes = 0;
  for (const name of [...listed].sort()) {
    const s = await stat(join(path, name)).catch(() => undefined);
    // A frame that vanished still changes the digest: its line says so.
    hash.update(`${name}\t${s?.size ?? -1}\t${s ? Math.round(s.mtimeMs) : -1}\n`);
    bytes += s?.size ?? 0;
  }
  return { kind: 'folder', path, files: listed.length, bytes, digest: hash.digest('hex') };
}

/** What differs between the journal's input and this run's, in words; empty when they match. */
export function inputChanges(old: SequenceInputIdentity, now: SequenceInputIdentity): string[] {
  if (old.path !== now.path) return [`input: ${old.path} → ${now.path}`];
  if (old.kind === 'folder' && now.kind === 'folder') {
    if (old.digest === now.digest) return [];
    const what = old.files !== now.files || old.bytes !== now.bytes ? `${old.files} files, ${old.bytes} bytes → ${now.files} files, ${now.bytes} bytes` : 'a file was modified, renamed or replaced';
    return [`input folder ${now.path} changed since (${what})`];
  }
  if (old.kind === 'file' && now.kind === 'file') {
    if (old.size === now.size && old.mtimeMs === now.mtimeMs && old.head === now.head && old.tail === now.tail) return [];
    return [`input file ${now.path} changed since (size ${old.size} → ${now.size} bytes, modified ${new Date(old.mtimeMs).toISOString()} → ${new Date(now.mtimeMs).toISOString()})`];
  }
  return [`input ${now.path} was a ${old.kind} and is now a ${now.kind}`];
}
