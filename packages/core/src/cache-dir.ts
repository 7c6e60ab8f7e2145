import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * upframe's cache folder (converted models, dedupe decisions): `$UPFRAME_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/upframe`, else `~/.cache/upframe`; `sub` names a folder inside it.
 */
export function upframeCacheDir(sub?: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const base = env.UPFRAME_CACHE_DIR || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'upframe');
  return sub ? join(base, sub) : base;
}
