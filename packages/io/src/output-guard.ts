import { readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { UpframeError } from '@upframe/core';
import { IMAGE_EXTENSIONS } from './image-formats.js';
import { journalDir, removeFinishedJournal } from './part-journal.js';
import { makeOutputDirectory } from './write-errors.js';

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

/** True when `inner` is `outer` itself or lies below it. */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export interface OutputGuardOptions {
  readonly kind: 'file' | 'dir';
  readonly overwrite?: boolean;
  /** For folders: let the output folder hold files this run will not write (they are kept). */
  readonly allowOtherFiles?: boolean;
  /** Inputs the output must never replace or mix with. */
  readonly inputs: readonly string[];
}

/** What the guard found, for the sink's report. */
export interface GuardResult {
  /** Entries already in an output folder (they are never deleted). */
  readonly existingEntries: number;
}

const sameAsInput = (output: string, what: string) =>
  new UpframeError('OUTPUT_SAME_AS_INPUT', `output ${output} ${what}; upframe never writes over or into its input`, {
    file: output,
    hint: 'Choose an output path outside the input, e.g. a new folder beside it.',
  });

/** A file the sequence sink could have written: a plain image file. Anything else is the user's. */
function looksLikeFrame(name: string, stats: Stats | undefined): boolean {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return Boolean(stats?.isFile()) && name.includes('.') && ext in IMAGE_EXTENSIONS;
}

/**
 * Refuse, before any work, an output that would destroy or mix with something: the input itself
 * (also through symlinks and hard links), for folders one that is, contains or lies inside the
 * input or is the current folder, an existing file without `overwrite`, and an existing folder
 * that holds files of the user's (not frames) unless `allowOtherFiles`. Creates the parent folder.
 */
export async function guardOutput(output: string, options: OutputGuardOptions): Promise<GuardResult> {
  const target = await canonical(output);
  const existing = await statOrUndefined(output);
  for (const input of options.inputs) {
    const inputStats = await statOrUndefined(input);
    const sameInode = existing && inputStats && existing.ino === inputStats.ino && existing.dev === inputStats.dev;
    const source = await canonical(input);
    if (sameInode || source === target) throw sameAsInput(output, 'is the input itself');
    if (options.kind === 'dir' && within(source, target)) throw sameAsInput(output, `contains the input ${input}`);
    if (options.kind === 'dir' && within(target, source)) throw sameAsInput(output, `is inside the input ${input}`);
  }
  if (options.kind === 'dir' && target === (await canonical(process.cwd()))) {
    throw new UpframeError('USAGE', `output ${output} is the current folder; upframe writes frames into a folder of their own`, {
      file: output,
      hint: 'Name a new folder, e.g. -o frames-x2/.',
    });
  }
  let existingEntries = 0;
  if (existing) {
    if (options.kind === 'file' && existing.isDirectory()) {
      throw new UpframeError('OUTPUT_EXISTS', `output ${output} is an existing directory, not a file`, { file: output });
    }
    if (options.kind === 'dir' && !existing.isDirectory()) {
      throw new UpframeError('OUTPUT_EXISTS', `output ${output} is an existing file, not a directory`, { file: output });
    }
    const entries = options.kind === 'dir' ? (await readdir(output)).filter((n) => !n.startsWith('.upframe-tmp-')) : [];
    existingEntries = entries.length;
    if ((options.kind === 'file' || entries.length > 0) && !options.overwrite) {
      // A run stopped right after moving its finished output into place left its journal behind.
      const finished = options.kind === 'file' && (await removeFinishedJournal(output));
      const state = finished ? `: it is complete (an earlier run finished it and was stopped while removing ${journalDir(output)}, now removed)` : '';
      throw new UpframeError('OUTPUT_EXISTS', `output ${output} already exists${options.kind === 'dir' ? ` and holds ${entries.length} entries` : ''}${state}`, {
        file: output,
        hint: options.kind === 'dir'
          ? 'Pass --overwrite to replace same-named frames in it (nothing else is touched), or choose a new folder.'
          : 'Pass --overwrite to replace it, or choose another output path.',
      });
    }
    if (entries.length > 0 && !options.allowOtherFiles) {
      const others: string[] = [];
      for (const name of entries) if (!looksLikeFrame(name, await statOrUndefined(join(output, name)))) others.push(name);
      if (others.length) {
        throw new UpframeError('OUTPUT_EXISTS', `output folder ${output} holds ${others.length} entries that are not frames (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''})`, {
          file: output,
          hint: 'Is this the folder you meant? Choose a new folder, or pass --allow-other-files to write frames beside them (they are never deleted or changed).',
        });
      }
    }
  }
  await makeOutputDirectory(dirname(resolve(output)));
  return { existingEntries };
}
