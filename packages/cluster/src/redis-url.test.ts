import { describe, expect, it } from 'vitest';
import { redactRedisUrl, redisConnection } from './redis-url.js';

describe('--redis URL', () => {
  it('reads host, port, password, database and TLS', () => {
    expect(redisConnection('redis://127.0.0.1:6390')).toMatchObject({ host: '127.0.0.1', port: 6390, db: 0, maxRetriesPerRequest: null });
    expect(redisConnection('redis://:p%40ss@queue.lan/2')).toMatchObject({ host: 'queue.lan', port: 6379, password: 'p@ss', db: 2 });
    expect(redisConnection('rediss://worker:pw@queue.example:6380')).toMatchObject({ username: 'worker', password: 'pw', tls: { servername: 'queue.example' } });
    expect(redisConnection('redis://localhost')).not.toHaveProperty('tls');
    // SNI takes host names only: an IP address is checked against the certificate, not sent as SNI.
    expect(redisConnection('rediss://127.0.0.1:6380', { ca: 'PEM' })).toMatchObject({ tls: { ca: 'PEM' } });
    expect((redisConnection('rediss://127.0.0.1:6380') as { tls: object }).tls).not.toHaveProperty('servername');
  });

  it('refuses other schemes and bad databases as usage errors', () => {
    expect(() => redisConnection('http://x')).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringMatching(/redis:\/\/ or rediss:\/\//) }));
    expect(() => redisConnection('redis://x/abc')).toThrow(/database "abc"/);
    expect(() => redisConnection('not a url')).toThrow(/is not a URL/);
  });

  it('never shows the password in messages', () => {
    expect(redactRedisUrl('redis://user:secret@h:1/0')).toBe('redis://user:***@h:1/0');
    expect(() => redisConnection('redis://:secret@h:1/x')).toThrow(expect.not.objectContaining({ message: expect.stringContaining('secret') }));
  });

  it('workers wait for Redis forever; a client that only submits or reads gives up after a few reconnects', () => {
    expect(redisConnection('redis://h')).toMatchObject({ maxRetriesPerRequest: null });
    expect(redisConnection('redis://h', { failFast: true })).toMatchObject({ maxRetriesPerRequest: 2 });
  });
});
