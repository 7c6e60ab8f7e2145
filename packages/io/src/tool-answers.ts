import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { upframeCacheDir } from '@upframe/core';

/**
 * Answers an ffmpeg binary always gives the same way (its version, whether it has a filter, whether
 * it accepts a set of encoder arguments), kept on disk between runs. Each start of Debian's ffmpeg
 * loads ~100 shared libraries (0.1–0.3 CPU-seconds); asking three such questions on every run made
 * a one-frame job pay more for questions than for its frame. An answer is tied to the binary's
 * identity (path, inode, size, mtime), so an upgraded or replaced ffmpeg is asked again.
 */
export interface ToolAnswers {
  get(binary: string, question: readonly string[]): string | undefined;
  set(binary: string, question: readonly string[], answer: string): void;
}

const MAX_ANSWERS = 256;

export function fileToolAnswers(file = join(upframeCacheDir('tools'), 'answers.json')): ToolAnswers {
  let answers: Record<string, string> | undefined;
  const load = (): Record<string, string> => {
    if (!answers) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
        answers = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
      } catch {
        answers = {};
      }
    }
    return answers;
  };
  return {
    get(binary, question) {
      const key = keyOf(binary, question);
      const value = key === undefined ? undefined : load()[key];
      return typeof value === 'string' ? value : undefined;
    },
    set(binary, question, answer) {
      const key = keyOf(binary, question);
      if (key === undefined) return;
      const all = load();
      delete all[key];
      all[key] = answer;
      const keys = Object.keys(all);
      for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ANSWERS))) delete all[old];
      try {
        // Written whole and renamed: a reader never sees half a file; concurrent runs lose at most an answer.
        mkdirSync(dirname(file), { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify(all));
        renameSync(temp, file);
      } catch {
        // A cache that cannot be written only costs the question next time.
      }
    },
  };
}

function keyOf(binary: string, question: readonly string[]): string | undefined {
  try {
    const s = statSync(binary);
    return JSON.stringify([binary, s.ino, s.size, s.mtimeMs, ...question]);
  } catch {
    return undefined;
  }
}

let shared: ToolAnswers | undefined;

/** The answers file in upframe's cache folder (`UPFRAME_CACHE_DIR`…), read once per process. */
export function toolAnswers(): ToolAnswers {
  shared ??= fileToolAnswers();
  return shared;
}
