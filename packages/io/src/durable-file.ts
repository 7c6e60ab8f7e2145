import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * File steps of the journals (part-journal.ts, sequence-journal.ts) with as few event-loop turns
 * as possible. While a backend runs inference on the main thread, every await waits for the
 * batch in flight: a part commit made of ~20 small awaits (a stream read per 64 KiB, open, sync,
 * close…) took ~2.5 s per part at 160×90 and fell ever further behind 1 s parts, so a kill lost
 * every part still queued. The hash reads 8 MiB at a time; the small steps (a folder's fsync, the
 * journal file) are synchronous: a millisecond or two, once per part.
 */
const CHUNK = 8 * 1024 * 1024;

/** sha256 and size of a file, and the file made durable (fsync), through one open handle. */
export async function syncAndHash(path: string): Promise<{ bytes: number; sha256: string }> {
  const handle = await open(path, 'r+');
  try {
    const hashed = await hashOpen(handle);
    await handle.sync();
    return hashed;
  } finally {
    await handle.close();
  }
}

/** sha256 of a whole file (hex), read 8 MiB at a time. */
export async function hashFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    return (await hashOpen(handle)).sha256;
  } finally {
    await handle.close();
  }
}

async function hashOpen(handle: FileHandle): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let bytes = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, bytes);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    bytes += bytesRead;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** fsync of a file or folder (a folder's, so a rename in it survives a crash). */
export function fsyncPathSync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `path` with `text` so that a crash leaves the old or the new content, never a mix. */
export function writeFileDurablySync(path: string, text: string): void {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  fsyncPathSync(dirname(path));
}
