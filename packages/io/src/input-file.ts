import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { UpframeError } from '@upframe/core';

/** Stat an input that must be a non-empty regular file; typed errors name the file and say why. */
export async function assertInputFile(file: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await stat(file);
  } catch (error) {
    throw new UpframeError('INPUT_NOT_FOUND', `input ${file} does not exist`, { file, cause: error, hint: 'Check the path and its spelling.' });
  }
  if (stats.isDirectory()) {
    throw new UpframeError('INPUT_INVALID', `input ${file} is a directory, not a file`, { file, hint: 'A directory of numbered images is read by the "sequence" source.' });
  }
  assertNotSpecialFile(file, stats);
  if (!stats.isFile()) throw new UpframeError('INPUT_INVALID', `input ${file} is not a regular file`, { file });
  if (stats.size === 0) throw new UpframeError('INPUT_INVALID', `input ${file} is empty (0 bytes)`, { file, hint: 'The file may still be downloading or its copy failed.' });
  return stats;
}

/**
 * Refuse devices, FIFOs and sockets by their stat, before anything opens them: opening a FIFO
 * blocks until a writer appears, and /dev/zero reads forever; both report size 0, which used to
 * read "empty (0 bytes)".
 */
export function assertNotSpecialFile(file: string, stats: Stats): void {
  const what = stats.isCharacterDevice()
    ? 'a character device, not a file'
    : stats.isBlockDevice()
      ? 'a block device, not a file'
      : stats.isFIFO()
        ? 'a FIFO (named pipe); upframe reads regular files'
        : stats.isSocket()
          ? 'a socket, not a file'
          : undefined;
  if (what) {
    throw new UpframeError('INPUT_INVALID', `${file} is ${what}`, {
      file,
      hint: 'upframe seeks in its input and reads it more than once, so a stream cannot be read directly: save it to a file first.',
    });
  }
}

/** Stat an input that must be a directory. */
export async function assertInputDirectory(dir: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await stat(dir);
  } catch (error) {
    throw new UpframeError('INPUT_NOT_FOUND', `input directory ${dir} does not exist`, { file: dir, cause: error });
  }
  if (!stats.isDirectory()) throw new UpframeError('INPUT_INVALID', `input ${dir} is not a directory`, { file: dir, hint: 'Single images use the "image" source, videos the "video" source.' });
  return stats;
}

/** Cache key for an input: path, size and modification time. */
export function identityOf(path: string, stats: Stats): string {
  return `${path}:${stats.size}:${Math.round(stats.mtimeMs)}`;
}
