import { isIP } from 'node:net';
import type { ConnectionOptions } from 'bullmq';
import { UpframeError } from '@upframe/core';

export interface RedisTlsOptions {
  /**
   * Certificate authority (PEM) that signed the server's certificate, when it is not one Node
   * trusts already; a process can also be given it with NODE_EXTRA_CA_CERTS=ca.pem.
   */
  readonly ca?: string | Buffer;
}

/**
 * `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS, the certificate checked
 * against the host name or IP address) as BullMQ connection options. BullMQ's workers need
 * `maxRetriesPerRequest: null` so a Redis restart pauses them instead of failing their commands;
 * they reconnect by themselves. A client that only submits or reads (`failFast`) gives up after a
 * few reconnects instead, so an unreachable Redis is an error, not a hang.
 */
export function redisConnection(url: string, options: RedisTlsOptions & { failFast?: boolean } = {}): ConnectionOptions {
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
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    host,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db,
    // SNI carries host names only; an IP address is checked against the certificate's IP entries.
    ...(u.protocol === 'rediss:' ? { tls: { ...(isIP(host) ? {} : { servername: host }), ...(options.ca ? { ca: options.ca } : {}) } } : {}),
    ...(options.failFast ? { maxRetriesPerRequest: 2, connectTimeout: 5000, retryStrategy: (times: number) => (times > 3 ? null : 500) } : { maxRetriesPerRequest: null }),
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}
