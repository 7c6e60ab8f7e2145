import { rmSync } from 'node:fs';
import { chmod, link, lstat, mkdtemp, readdir, rename, rm, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isUpframeError, UpframeError, type Logger } from '@upframe/core';
import { explainWriteError } from './write-errors.js';

/**
 * Every output is built in a private workspace: a folder created by `mkdtemp` (a random name,
 * created exclusively, mode 0700) beside the final path, so the last step is a rename on the same
 * filesystem. Nobody else can plant a file or a link inside it, which a predictable temp name
 * (`.out.upframe-tmp-<pid>.mp4`) allowed. The name carries host and pid so that a later run can
 * tell a dead run's leftovers from a live one's.
 */
export interface Workspace {
  /** The private folder. */
  readonly dir: string;
  /** Where a single-file output is written inside it (same base name, so ffmpeg picks the muxer). */
  readonly file: string;
}

const PREFIX = '.upframe-tmp-';
/** Host names can hold characters we do not want in a file name; the prefix only needs to match itself. */
const HOST = hostname().replace(/[^A-Za-z0-9]/g, '').slice(0, 24) || 'host';

/** Workspaces of this process, so a forced exit (second Ctrl-C) can still remove them synchronously. */
const live = new Set<string>();

export async function createWorkspace(output: string): Promise<Workspace> {
  const dir = await mkdtemp(join(dirname(output), `${PREFIX}${HOST}-${process.pid}-`)).catch(async (error: unknown) => {
    throw await explainWriteError(error, dirname(output));
  });
  live.add(dir);
  return { dir, file: join(dir, basename(output)) };
}

/** Remove a workspace and everything in it; never throws. */
export async function discardWorkspace(workspace: Workspace | undefined): Promise<void> {
  if (!workspace) return;
  await rm(workspace.dir, { recursive: true, force: true }).catch(() => {});
  live.delete(workspace.dir);
}

/**
 * Also remove `dir` on a forced exit while `discard` holds: a resume journal that has no committed
 * part yet keeps nothing worth resuming.
 */
export function discardOnForcedExit(dir: string, discard: boolean): void {
  if (discard) live.add(dir);
  else live.delete(dir);
}

/** For the forced-exit path, where nothing asynchronous will run any more. */
export function discardLiveWorkspacesSync(): number {
  let removed = 0;
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
      removed++;
    } catch {
      // Best effort: the process is exiting.
    }
  }
  live.clear();
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove workspaces beside `output` left by runs of this host that no longer exist (SIGKILL, power
 * loss). Only folders of our own name pattern, host and user are touched; a live run's are kept.
 * Returns what was removed, for the run to report.
 */
export async function sweepStaleWorkspaces(output: string): Promise<string[]> {
  const dir = dirname(output);
  const pattern = new RegExp(`^${PREFIX.replace(/\./g, '\\.')}${HOST}-(\\d+)-[A-Za-z0-9]{6}$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    const path = join(dir, name);
    const stats = await lstat(path).catch(() => undefined);
    if (!stats?.isDirectory() || (process.getuid && stats.uid !== process.getuid())) continue;
    await rm(path, { recursive: true, force: true }).catch(() => {});
    removed.push(path);
  }
  return removed;
}

/** Sweep, and say once per removed folder what was removed (logged, and returned for the report). */
export async function sweepAndReport(output: string, logger: Logger): Promise<string[]> {
  const messages = (await sweepStaleWorkspaces(output)).map((path) => `removed ${path}, the unfinished output of an earlier run that was killed`);
  for (const message of messages) logger.warn(message);
  return messages;
}

export interface CommitOptions {
  readonly overwrite: boolean;
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

/**
 * Move one finished file into place. With `overwrite` an old file is replaced atomically
 * (rename); without it a file that appeared at `output` during the run is never replaced: a hard
 * link fails with EEXIST where a rename would silently win. Returns whether a file was replaced.
 */
export async function placeFile(temporary: string, output: string, options: CommitOptions): Promise<boolean> {
  if (options.overwrite) {
    const replaced = await exists(output);
    await rename(temporary, output);
    return replaced;
  }
  try {
    await link(temporary, output);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new UpframeError('OUTPUT_EXISTS', `${output} appeared while upframe was running (another program or run wrote it); it was left as it is`, {
        file: output,
        hint: 'Nothing was replaced. Pass --overwrite to replace it, or choose another output path.',
      });
    }
    // Filesystems without hard links (FAT, some FUSE mounts): check, then rename. The window
    // between the two is the best such a filesystem allows.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
    if (await exists(output)) return placeFile(temporary, output, options);
    await rename(temporary, output);
    return false;
  }
  await unlink(temporary);
  return false;
}

const EXPLAINED = ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM'];

/** Typed errors pass; disk full, read-only and permission errors say so; anything else names the move. */
async function commitError(error: unknown, output: string, what: string): Promise<UpframeError> {
  if (isUpframeError(error)) return error;
  if (EXPLAINED.includes((error as NodeJS.ErrnoException).code ?? '')) return explainWriteError(error, output);
  return new UpframeError('OUTPUT_FAILED', `cannot move ${what} into place at ${output}: ${(error as Error).message}`, { file: output, cause: error });
}

/** Commit a single-file workspace to `output`, then remove the workspace. */
export async function commitFile(workspace: Workspace, output: string, options: CommitOptions): Promise<{ replaced: boolean }> {
  try {
    return { replaced: await placeFile(workspace.file, output, options) };
  } catch (error) {
    throw await commitError(error, output, 'the finished output');
  } finally {
    await discardWorkspace(workspace);
  }
}

/**
 * Commit a folder workspace. A new output folder appears whole (one rename); into an existing one
 * the files are moved one by one, replacing only same-named files (with `overwrite`) and never
 * deleting anything this run did not write.
 */
export async function commitDirectory(workspace: Workspace, output: string, options: CommitOptions): Promise<{ replaced: number }> {
  try {
    const names = await readdir(workspace.dir);
    const present = await readdir(output).catch(() => undefined);
    if (!present?.length) {
      // mkdtemp made it 0700; a finished output folder gets the usual permissions.
      await chmod(workspace.dir, 0o777 & ~process.umask());
      try {
        await rename(workspace.dir, output);
        live.delete(workspace.dir);
        return { replaced: 0 };
      } catch (error) {
        // Something was put there meanwhile: fall through to the rules for an existing folder.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
      }
    }
    // The guard let a non-empty folder through only with overwrite; without it, it filled up during the run.
    if (!options.overwrite) {
      throw new UpframeError('OUTPUT_EXISTS', `${output} was filled while upframe was running (another program or run wrote to it); nothing in it was replaced`, {
        file: output,
        hint: 'Pass --overwrite to replace same-named files in it, or choose another output folder.',
      });
    }
    let replaced = 0;
    for (const name of names) if (await placeFile(join(workspace.dir, name), join(output, name), options)) replaced++;
    return { replaced };
  } catch (error) {
    throw await commitError(error, output, 'the finished frames');
  } finally {
    await discardWorkspace(workspace);
  }
}
