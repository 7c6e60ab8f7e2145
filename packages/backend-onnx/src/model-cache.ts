import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { upframeCacheDir } from '@upframe/core';
import { writeFileAtomic } from '@upframe/core/internal';

/**
 * Where converted models live: `options.cacheDir` as given, else `$UPFRAME_CACHE_DIR/onnx`,
 * else `$XDG_CACHE_HOME/upframe/onnx`, else `~/.cache/upframe/onnx`.
 */
export function resolveCacheDir(cacheDir?: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return cacheDir ?? upframeCacheDir('onnx', env, home);
}

/** sha256 over `salt` and each file's name, size and bytes, so any change to the source re-keys the cache. */
export async function sourceHash(files: readonly string[], salt: string): Promise<string> {
  const hash = createHash('sha256').update(salt);
  for (const file of files) {
    const bytes = await readFile(file);
    hash.update(`\0${basename(file)}\0${bytes.byteLength}\0`).update(bytes);
  }
  return hash.digest('hex');
}

export interface CacheResult<M> {
  /** Path of the cached `.onnx`, or its bytes when the cache could not be written. */
  readonly model: string | Uint8Array;
  readonly meta: M;
  /** True when the conversion was skipped. */
  readonly hit: boolean;
  /** A damaged entry that was rebuilt, or an unusable cache folder (the model still loads from memory). */
  readonly warnings: readonly string[];
}

/** What the sidecar records about the `.onnx` it was written with, so a damaged file is told from a good one. */
interface OnnxRecord {
  readonly sha256: string;
  readonly bytes: number;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readSidecar<M>(file: string, hash: string): Promise<{ meta: M; onnx?: OnnxRecord } | undefined> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { hash?: string; meta?: M; onnx?: Partial<OnnxRecord> };
    if (stored.hash !== hash || stored.meta === undefined) return undefined;
    const { sha256: sum, bytes } = stored.onnx ?? {};
    return { meta: stored.meta, onnx: typeof sum === 'string' && typeof bytes === 'number' ? { sha256: sum, bytes } : undefined };
  } catch {
    return undefined;
  }
}

/** Why `bytes` are not what `record` describes; the size is compared first since it needs no hashing. */
function damage(bytes: Uint8Array, record: OnnxRecord): string | undefined {
  if (bytes.byteLength !== record.bytes) return `it is ${bytes.byteLength} bytes, not the ${record.bytes} it was written with`;
  if (sha256(bytes) !== record.sha256) return 'its sha256 differs from the one recorded when it was written';
  return undefined;
}

export const damagedWarning = (file: string, why: string) => `the cached model at ${file} was damaged (${why}) and has been rebuilt.`;

/**
 * Returns the cached conversion named `name` keyed by `hash`, or runs `convert` and stores its
 * result (`.onnx`, then a `.json` with `meta` and the `.onnx`'s size and sha256 that marks the
 * entry complete). A cached `.onnx` that no longer matches its record is rebuilt, with a warning.
 * `rebuild` deletes the entry first: for a file that passes its checksum yet does not load.
 */
export async function cachedConversion<M>(
  dir: string,
  name: string,
  hash: string,
  convert: () => Promise<{ bytes: Uint8Array; meta: M }> | { bytes: Uint8Array; meta: M },
  options: { readonly rebuild?: boolean } = {},
): Promise<CacheResult<M>> {
  const stem = join(dir, `${name}-${hash.slice(0, 16)}`);
  const file = `${stem}.onnx`;
  // Removal is best effort: if it fails, the write below fails the same way and says so.
  if (options.rebuild) await Promise.all([`${stem}.json`, file].map((f) => rm(f, { force: true }).catch(() => undefined)));
  const stored = options.rebuild ? undefined : await readSidecar<M>(`${stem}.json`, hash);
  // An .onnx gone from behind its .json is converted again quietly: deleting files is a fair way to clear the cache.
  const cached = stored && (await readFile(file).catch(() => undefined));
  let problem: string | undefined = stored?.onnx && cached ? damage(cached, stored.onnx) : undefined;
  if (stored?.onnx && cached && problem === undefined) return { model: file, meta: stored.meta, hit: true, warnings: [] };

  const converted = await convert();
  const record: OnnxRecord = { sha256: sha256(converted.bytes), bytes: converted.bytes.byteLength };
  // A sidecar from before checksums cannot vouch for its .onnx, and onnxruntime alone is no check
  // (garbled weights still parse). The conversion is deterministic, so one fresh conversion per old
  // entry tells a damaged file from a good one; either way the entry gets its checksum now.
  if (stored && !stored.onnx && cached && sha256(cached) !== record.sha256) problem = 'it differs from a fresh conversion of the same model';
  const warnings = problem ? [damagedWarning(file, problem)] : [];
  try {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(file, converted.bytes);
    await writeFileAtomic(`${stem}.json`, JSON.stringify({ hash, onnx: record, meta: converted.meta }, null, 2));
    return { model: file, meta: converted.meta, hit: false, warnings };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    warnings.push(`cannot write the ONNX cache in ${dir} (${why}); converting on every start. Set UPFRAME_CACHE_DIR to a writable folder.`);
    return { model: converted.bytes, meta: converted.meta, hit: false, warnings };
  }
}
