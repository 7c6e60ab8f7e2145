import type { ConnectionOptions } from 'bullmq';
import { UpframeError } from '@upframe/core';

/**
 * `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS) as BullMQ connection options.
 * BullMQ's workers need `maxRetriesPerRequest: null` so a Redis restart pauses them instead of
 * failing their commands; they reconnect by themselves. A client that only submits or reads
 * (`failFast`) gives up after a few reconnects instead, so an unreachable Redis is an error, not a hang.
 */
export function redisConnection(url: string, options: { failFast?: boolean } = {}): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UpframeError('USAGE', `--redis "${redactRedisUrl(url)}" is not a URL`, { hint: 'Use redis://host:6379, redis://:password@host:6379/0 or rediss://host:6380 for TLS.' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UpframeError('USAGE', `--redis must start with redis:// or rediss:// (got ${u.protocol}//)`, { hint: 'Use redis://host:6379 or rediss://host:6380 for TLS.' });
  }
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isSafeInteger(db) || db < 0) throw new UpframeError('USAGE', `--redis database "${u.pathname.slice(1)}" must be a number`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db,
    ...(u.protocol === 'rediss:' ? { tls: { servername: u.hostname } } : {}),
    ...(options.failFast ? { maxRetriesPerRequest: 2, connectTimeout: 5000, retryStrategy: (times: number) => (times > 3 ? null : 500) } : { maxRetriesPerRequest: null }),
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}
