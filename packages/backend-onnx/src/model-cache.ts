import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { upframeCacheDir, writeFileAtomic } from '@upframe/core';

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
  /** Set when the cache directory was unusable (the model still loads from memory). */
  readonly warning?: string;
}

async function readMeta<M>(file: string, hash: string): Promise<M | undefined> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { hash?: string; meta?: M };
    return stored.hash === hash ? stored.meta : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the cached conversion named `name` keyed by `hash`, or runs `convert` and stores its
 * result (`.onnx`, then a `.json` with `meta` that marks the entry complete).
 */
export async function cachedConversion<M>(
  dir: string,
  name: string,
  hash: string,
  convert: () => Promise<{ bytes: Uint8Array; meta: M }> | { bytes: Uint8Array; meta: M },
): Promise<CacheResult<M>> {
  const stem = join(dir, `${name}-${hash.slice(0, 16)}`);
  const meta = await readMeta<M>(`${stem}.json`, hash);
  if (meta !== undefined) {
    try {
      await stat(`${stem}.onnx`);
      return { model: `${stem}.onnx`, meta, hit: true };
    } catch {
      // The .onnx went missing behind the .json: convert again.
    }
  }
  const converted = await convert();
  try {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(`${stem}.onnx`, converted.bytes);
    await writeFileAtomic(`${stem}.json`, JSON.stringify({ hash, meta: converted.meta }, null, 2));
    return { model: `${stem}.onnx`, meta: converted.meta, hit: false };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { model: converted.bytes, meta: converted.meta, hit: false, warning: `cannot write the ONNX cache in ${dir} (${why}); converting on every start. Set UPFRAME_CACHE_DIR to a writable folder.` };
  }
}
