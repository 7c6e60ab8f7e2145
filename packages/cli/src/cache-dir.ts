import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where converted models and dedupe decisions are cached: UPFRAME_CACHE_DIR, XDG_CACHE_HOME, or ~/.cache. */
export function defaultCacheDir(): string {
  if (process.env.UPFRAME_CACHE_DIR) return process.env.UPFRAME_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'upframe');
}
