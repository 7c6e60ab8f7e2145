import { mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { UpframeError } from '@upframe/core';

/**
 * Outputs are written under a temporary name beside the final path (same directory, so the final
 * rename is atomic; same extension, so ffmpeg picks the right muxer) and renamed into place only
 * when complete. A failed or cancelled run removes the temporary and leaves any old output alone.
 */
export function temporaryPathFor(output: string, kind: 'file' | 'dir'): string {
  const dir = dirname(output);
  const name = basename(output);
  if (kind === 'dir') return join(dir, `.${name}.upframe-tmp-${process.pid}`);
  const ext = extname(name);
  return join(dir, `.${name.slice(0, name.length - ext.length)}.upframe-tmp-${process.pid}${ext}`);
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/** The canonical path of `path`, also when it does not exist yet (its parent is resolved instead). */
async function canonical(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(await canonical(parent), basename(absolute));
  }
}

export interface OutputGuardOptions {
  readonly kind: 'file' | 'dir';
  readonly overwrite?: boolean;
  /** Inputs the output must never replace. */
  readonly inputs: readonly string[];
}

/**
 * Refuse an output that is one of the inputs (OUTPUT_SAME_AS_INPUT, also through symlinks and
 * hard links) or that already exists (OUTPUT_EXISTS) unless `overwrite`; create its parent directory.
 */
export async function guardOutput(output: string, options: OutputGuardOptions): Promise<void> {
  const target = await canonical(output);
  const existing = await statOrUndefined(output);
  for (const input of options.inputs) {
    const inputStats = await statOrUndefined(input);
    const sameInode = existing && inputStats && existing.ino === inputStats.ino && existing.dev === inputStats.dev;
    if (sameInode || (await canonical(input)) === target) {
      throw new UpframeError('OUTPUT_SAME_AS_INPUT', `output ${output} is the input itself; upframe never writes over its input`, {
        file: output,
        hint: 'Choose a different output path.',
      });
    }
  }
  if (existing) {
    if (options.kind === 'file' && existing.isDirectory()) {
      throw new UpframeError('OUTPUT_EXISTS', `output ${output} is an existing directory, not a file`, { file: output });
    }
    if (options.kind === 'dir' && !existing.isDirectory()) {
      throw new UpframeError('OUTPUT_EXISTS', `output ${output} is an existing file, not a directory`, { file: output });
    }
    const nonEmpty = options.kind === 'file' || (await readdir(output)).length > 0;
    if (nonEmpty && !options.overwrite) {
      throw new UpframeError('OUTPUT_EXISTS', `output ${output} already exists${options.kind === 'dir' ? ' and is not empty' : ''}`, {
        file: output,
        hint: 'Pass --overwrite to replace it, or choose another output path.',
      });
    }
  }
  await mkdir(dirname(resolve(output)), { recursive: true });
}

/** Move a finished temporary file into place (replacing an old output atomically). */
export async function commitFile(temporary: string, output: string): Promise<void> {
  try {
    await rename(temporary, output);
  } catch (error) {
    await discard(temporary);
    throw new UpframeError('OUTPUT_FAILED', `cannot move the finished output into place at ${output}: ${(error as Error).message}`, { file: output, cause: error });
  }
}

/** Move a finished temporary directory into place; an old output directory is removed only after that. */
export async function commitDirectory(temporary: string, output: string): Promise<void> {
  const old = (await statOrUndefined(output)) ? `${temporaryPathFor(output, 'dir')}-old` : undefined;
  try {
    if (old) await rename(output, old);
    await rename(temporary, output);
  } catch (error) {
    if (old && !(await statOrUndefined(output))) await rename(old, output).catch(() => {});
    throw new UpframeError('OUTPUT_FAILED', `cannot move the finished frames into place at ${output}: ${(error as Error).message}`, { file: output, cause: error });
  }
  if (old) await rm(old, { recursive: true, force: true });
}

/** Remove a temporary file or directory; never throws. */
export async function discard(temporary: string): Promise<void> {
  await rm(temporary, { recursive: true, force: true }).catch(() => {});
}
