import type { ConnectionOptions } from 'bullmq';
import { UpframeError } from '@upframe/core';

const NETWORK = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'EAI_AGAIN'];

/**
 * A failure to reach or log in to Redis as QUEUE_UNAVAILABLE naming the server (never the
 * password); anything else is passed on as it is.
 */
export function queueError(error: unknown, connection: ConnectionOptions): unknown {
  const e = error as { code?: string; message?: string } | undefined;
  const message = e?.message ?? String(error);
  const auth = /NOAUTH|WRONGPASS|invalid password|invalid username/i.test(message);
  const network = NETWORK.includes(e?.code ?? '') || /Connection is closed|max retries per request|connect ETIMEDOUT/i.test(message);
  if (!auth && !network) return error;
  const c = connection as { host?: string; port?: number; tls?: unknown };
  const where = `${c.tls ? 'rediss' : 'redis'}://${c.host ?? '?'}:${c.port ?? 6379}`;
  return new UpframeError('QUEUE_UNAVAILABLE', auth ? `Redis at ${where} refused the login: ${message}` : `cannot reach Redis at ${where}: ${message}`, {
    cause: error,
    hint: auth ? 'Put the password in the URL: redis://:PASSWORD@host:6379 (or redis://USER:PASSWORD@…).' : 'Check --redis and that redis-server is running and reachable from here (apt-get install redis-server; docs/cluster.md).',
  });
}
