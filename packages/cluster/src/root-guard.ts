import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { UpframeError } from '@upframe/core';

/**
 * The real path of `path` as far as it exists: links resolved in every existing ancestor, so a
 * link inside a root that points outside it is seen for what it is. The part that does not exist
 * yet (an output about to be written) is appended as given.
 */
function realPathSoFar(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return resolve(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return resolve(path);
      rest.push(basename(existing));
      existing = parent;
    }
  }
}

/** Whether `path` (links resolved) lies inside one of `roots`. */
export function insideRoots(path: string, roots: readonly string[]): boolean {
  const real = realPathSoFar(path);
  return roots.some((root) => {
    const r = relative(realPathSoFar(root), real);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  });
}

/**
 * A worker reads and writes only inside the folders it was started with (`--root`): a job names
 * paths, and without this a job could make a worker read or overwrite any file it can reach.
 * Throws PATH_OUTSIDE_ROOT naming the path and the roots, before anything is opened.
 */
export function assertInsideRoots(path: string, roots: readonly string[], what: string): void {
  if (roots.length === 0) throw new UpframeError('USAGE', 'a worker needs at least one --root folder it may read and write in');
  if (!insideRoots(path, roots)) {
    throw new UpframeError('PATH_OUTSIDE_ROOT', `refused: the job's ${what} ${path} is outside this worker's --root folders (${roots.join(', ')})`, {
      file: path,
      hint: 'Start the worker with a --root that contains the shared input and output folders, or submit paths inside its roots.',
    });
  }
}
