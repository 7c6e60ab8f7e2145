import type { DedupeContext, Logger } from '@upframe/core';
import { cacheFilePath, readDedupeCache, writeDedupeCache, type CachedDecisions, type DedupeCacheKey } from './dedupe-cache.js';
import type { CacheState } from './dedupe-stats.js';

/** Cached decisions plus what replaying them needs to know. */
export interface ReplayCache extends CachedDecisions {
  /** Index of the last inferred frame in the cache: the reference when the cache runs out. */
  readonly lastInferred: number;
  /** True when the cache covers every frame the source announced, so nothing follows it. */
  readonly complete: boolean;
}

/** One run's use of the on-disk decision cache: what was loaded at the start, where to save at the end. */
export class CacheSession {
  private constructor(
    readonly state: CacheState,
    readonly replay: ReplayCache | undefined,
    private readonly file: string | undefined,
    private readonly key: DedupeCacheKey | undefined,
  ) {}

  static disabled(): CacheSession {
    return new CacheSession('disabled', undefined, undefined, undefined);
  }

  /** Loads the cache for this input and settings; caching is off without a cache dir or an identity. */
  static async open(context: DedupeContext, strategy: string, settings: string, wordsPerFrame: number, logger: Logger): Promise<CacheSession> {
    const { cacheDir, source } = context;
    if (!cacheDir || !source.identity) return CacheSession.disabled();
    // Decoded geometry is part of the key: the same file decoded at another size is other frames.
    const key: DedupeCacheKey = { strategy, identity: source.identity, settings: `${settings}|${source.width}x${source.height}:${source.layout}`, wordsPerFrame };
    const file = cacheFilePath(cacheDir, key);
    const read = await readDedupeCache(file, key);
    if (read.state !== 'loaded') {
      if (read.state === 'unreadable') logger.warn(`dedupe ${strategy}: ignoring unreadable cache ${file} (${read.reason}); it will be rewritten`);
      if (read.state === 'stale') logger.debug(`dedupe ${strategy}: cache ${file} is stale (${read.reason})`);
      return new CacheSession(read.state, undefined, file, key);
    }
    const { data } = read;
    logger.debug(`dedupe ${strategy}: ${data.count} cached decisions loaded from ${file}`);
    const complete = source.frameCount !== undefined && data.count >= source.frameCount;
    return new CacheSession('loaded', { ...data, lastInferred: data.duplicate.lastIndexOf(0), complete }, file, key);
  }

  /** Persists the run's decisions; failures are logged, never thrown, since the cache only saves time. */
  async save(decisions: CachedDecisions, logger: Logger): Promise<void> {
    if (!this.file || !this.key) return;
    try {
      await writeDedupeCache(this.file, this.key, decisions);
    } catch (error) {
      logger.warn(`dedupe ${this.key.strategy}: could not write cache ${this.file}: ${String(error)}`);
    }
  }
}
