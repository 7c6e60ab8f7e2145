import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SequenceValidationError } from '@upframe/core';
import { validateSequenceEntries } from '@upframe/core/internal';
import { IMAGE_EXTENSIONS } from './image-formats.js';
import { readImageHeader, type ImageHeader } from './image-codec.js';
import { assertInputDirectory } from './input-file.js';
import { parseNumberedName, type NumberedName } from './sequence-naming.js';

export interface SequenceFrameFile extends NumberedName {
  readonly path: string;
  readonly header: ImageHeader;
}

/** A validated frame sequence: numbered files in order, all the same size and format. */
export interface FrameSequence {
  readonly dir: string;
  readonly files: readonly SequenceFrameFile[];
  readonly count: number;
  /** First and last frame numbers. */
  readonly first: number;
  readonly last: number;
  readonly width: number;
  readonly height: number;
  /** True when any frame has alpha: the whole sequence is then read as RGBA. */
  readonly hasAlpha: boolean;
  readonly bitDepth: number;
  readonly format: string;
  /** Every format among the frames (sharp's names), in order of first appearance. */
  readonly formats: readonly string[];
  /** Files in the directory that are not images (ignored). */
  readonly ignored: readonly string[];
}

const LIST_LIMIT = 10;

/** `Map.groupBy`, which Node 20 lacks. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function listSome(items: readonly string[]): string {
  const shown = items.slice(0, LIST_LIMIT).join(', ');
  return items.length > LIST_LIMIT ? `${shown}, … (${items.length} in all)` : shown;
}

/** Read headers with bounded concurrency: thousands of frames must not open thousands of files at once. */
async function readHeaders(files: readonly (NumberedName & { path: string })[], concurrency: number) {
  const results = new Array<ImageHeader | Error>(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await readImageHeader(files[i].path).catch((e: unknown) => e as Error);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return results;
}

/**
 * Check a directory of numbered images before any inference: every problem is collected and thrown
 * together as a `SequenceValidationError` naming the directory (gaps in the numbering with the first
 * ten missing numbers and the count, mixed extensions or name patterns, unnumbered files, duplicate
 * numbers, unreadable files, mixed dimensions). Hidden files and non-image files are ignored.
 */
export async function validateFrameSequence(directory: string, options: { concurrency?: number } = {}): Promise<FrameSequence> {
  const dir = resolve(directory);
  await assertInputDirectory(dir);
  const dirents = await readdir(dir, { withFileTypes: true });
  const names = dirents.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const images = names.filter((n) => IMAGE_EXTENSIONS[n.split('.').pop()!.toLowerCase()] !== undefined);
  const ignored = names.filter((n) => !images.includes(n));
  const fail = (problems: string[], missing: number[] = []) =>
    new SequenceValidationError(`frame sequence ${dir} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems, missing, file: dir });
  if (images.length === 0) throw fail([`no image files (png, jpg, webp, tiff, avif) in the directory${ignored.length ? `; found only ${listSome(ignored)}` : ''}`]);

  const problems: string[] = [];
  const parsed = images.map((n) => ({ parsed: parseNumberedName(n), name: n }));
  const unnumbered = parsed.filter((p) => !p.parsed).map((p) => p.name);
  if (unnumbered.length) problems.push(`${unnumbered.length} file(s) without a frame number: ${listSome(unnumbered)}`);
  const numbered = parsed.flatMap((p) => (p.parsed ? [{ ...p.parsed, path: join(dir, p.name) }] : [])).sort((a, b) => a.number - b.number);

  const byExt = groupBy(numbered, (f) => f.ext.toLowerCase());
  if (byExt.size > 1) problems.push(`mixed extensions: ${[...byExt].map(([ext, fs]) => `.${ext} (${fs.length}, e.g. ${fs[0].name})`).join(', ')}`);
  const byPrefix = groupBy(numbered, (f) => f.prefix);
  if (byPrefix.size > 1) problems.push(`mixed name patterns: ${[...byPrefix].map(([p, fs]) => `"${p}…" (${fs.length}, e.g. ${fs[0].name})`).join(', ')}`);

  // Numbering gaps, duplicates, unreadable files and mixed sizes: core's checks, so every frame
  // sequence in upframe is judged (and reported) the same way.
  const headers = await readHeaders(numbered, options.concurrency ?? 8);
  const entries = numbered.map((f, i) => {
    const h = headers[i];
    return h instanceof Error
      ? { name: f.name, number: f.number, error: h.message.replace(/^.*? can read: /, '') }
      : { name: f.name, number: f.number, width: h.width, height: h.height };
  });
  let missing: readonly number[] = [];
  try {
    validateSequenceEntries(dir, entries);
  } catch (error) {
    if (!(error instanceof SequenceValidationError)) throw error;
    problems.push(...error.problems);
    missing = error.missing;
  }
  if (problems.length) throw fail(problems, [...missing]);

  const readable = numbered.map((f, i) => ({ ...f, header: headers[i] as ImageHeader }));
  const first = readable[0].header;
  return {
    dir,
    files: readable,
    count: readable.length,
    first: readable[0].number,
    last: readable.at(-1)!.number,
    width: first.width,
    height: first.height,
    hasAlpha: readable.some((f) => f.header.hasAlpha),
    bitDepth: Math.max(...readable.map((f) => f.header.bitDepth)),
    format: first.format,
    formats: [...new Set(readable.map((f) => f.header.format))],
    ignored,
  };
}
