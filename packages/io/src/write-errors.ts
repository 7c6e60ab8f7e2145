import { constants } from 'node:fs';
import { access, mkdir, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isUpframeError, UpframeError } from '@upframe/core';

/**
 * Turns a failed write into an error that says what happened. Writers report a full disk, a
 * read-only mount or missing permissions in their own words (sharp: "write error … No space left on
 * device" or even "Warning treated as error due to failOn setting"; ffmpeg: "av_interleaved_write_frame():
 * No space left on device"; Node's recursive mkdir: ENOENT on a read-only mount), none of which
 * tells the person at the terminal what to do.
 */

const DISK_FULL_TEXT = /No space left on device|ENOSPC|Disk quota exceeded|EDQUOT/i;
const QUOTA_TEXT = /Disk quota exceeded|EDQUOT/i;
const READ_ONLY_TEXT = /Read-only file system|EROFS/i;
const DENIED_TEXT = /Permission denied|EACCES|Operation not permitted/i;
/** Below this much free space an otherwise unexplained write failure is taken to be a full disk. */
const NEARLY_FULL_BYTES = 64 * 1024;

/** Bytes free (to an unprivileged user, as `df` shows) on the filesystem holding `path`, if it can be read. */
export async function freeBytes(path: string): Promise<number | undefined> {
  const existing = await nearestExisting(path);
  try {
    const fs = await statfs(existing);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
}

/** "12 MB free" style text; small amounts keep a decimal so a nearly full disk does not read "0 MB" when it is not. */
export function describeFree(bytes: number | undefined): string {
  if (bytes === undefined) return 'free space unknown';
  const mb = bytes / 1e6;
  return `${mb >= 10 ? Math.floor(mb) : mb.toFixed(1)} MB free on that filesystem`;
}

/** The error for "the disk holding `path` is full", with the free space as it is now. */
export async function diskFullError(path: string, cause?: unknown, doing = 'writing'): Promise<UpframeError> {
  const text = cause instanceof Error ? `${(cause as NodeJS.ErrnoException).code ?? ''} ${cause.message}` : '';
  const what = QUOTA_TEXT.test(text) ? 'disk quota exceeded' : 'disk full';
  return new UpframeError('DISK_FULL', `${what} while ${doing} ${path} (${describeFree(await freeBytes(path))})`, {
    file: path,
    cause,
    hint: 'Free some space on that disk, or write the output to another disk; upframe removes its partial output.',
  });
}

function readOnlyError(path: string, cause: unknown): UpframeError {
  return new UpframeError('OUTPUT_FAILED', `${path} is on a read-only filesystem`, {
    file: path,
    cause,
    hint: 'Write the output to a writable disk, or remount this one read-write.',
  });
}

function deniedError(path: string, cause: unknown): UpframeError {
  return new UpframeError('OUTPUT_FAILED', `permission denied writing ${path}`, {
    file: path,
    cause,
    hint: `Check the owner and permissions of ${dirname(path)} (ls -ld), or write the output somewhere you can write.`,
  });
}

/**
 * The typed error to throw for `error`, raised while writing `path`. Errors that already are
 * UpframeErrors pass unchanged; unexplained ones keep their message and name the path.
 */
export async function explainWriteError(error: unknown, path: string): Promise<UpframeError> {
  if (isUpframeError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || code === 'EDQUOT' || DISK_FULL_TEXT.test(message)) return diskFullError(path, error);
  if (code === 'EROFS' || READ_ONLY_TEXT.test(message)) return readOnlyError(path, error);
  if (code === 'EACCES' || code === 'EPERM' || DENIED_TEXT.test(message)) return deniedError(path, error);
  // Node's recursive mkdir reports ENOENT when the parent it cannot create is on a read-only or
  // unwritable filesystem; ask the nearest existing folder whether it can be written.
  if (code === 'ENOENT') {
    const blocker = await unwritableAncestor(path);
    if (blocker === 'EROFS') return readOnlyError(path, error);
    if (blocker === 'EACCES') return deniedError(path, error);
  }
  // sharp sometimes hides the system error behind its failOn message; a disk with (almost) no room left says enough.
  const free = await freeBytes(path);
  if (free !== undefined && free < NEARLY_FULL_BYTES) return diskFullError(path, error);
  return new UpframeError('OUTPUT_FAILED', `cannot write ${path}: ${message}`, { file: path, cause: error });
}

/** The disk-full error for a tool (ffmpeg) whose stderr says the disk filled up, else undefined. */
export async function diskFullFromToolOutput(stderr: string, path: string, doing = 'encoding'): Promise<UpframeError | undefined> {
  return DISK_FULL_TEXT.test(stderr) ? diskFullError(path, new Error(stderr), doing) : undefined;
}

/**
 * `mkdir -p` for an output's folder, failing with an error that says why (read-only mount,
 * permissions, full disk) instead of Node's "ENOENT … mkdir".
 */
export async function makeOutputDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw await explainWriteError(error, dir);
  }
}

async function nearestExisting(path: string): Promise<string> {
  let current = resolve(path);
  for (;;) {
    try {
      await access(current, constants.F_OK);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

async function unwritableAncestor(path: string): Promise<'EROFS' | 'EACCES' | undefined> {
  try {
    await access(await nearestExisting(dirname(resolve(path))), constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EROFS' ? 'EROFS' : code === 'EACCES' || code === 'EPERM' ? 'EACCES' : undefined;
  }
}
