import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForJob } from './job-status.js';
import { planParts } from './part-plan.js';
import { redisConnection } from './redis-url.js';
import { submitJob } from './submit-job.js';
import { startTestRedis, type TestRedis } from './test-support/redis-server.js';
import { spawnWorker, type WorkerProcess } from './test-support/worker-processes.js';

// A Redis that accepts TLS only (rediss://), with a password and a certificate from a private
// authority: the submitter is given the authority's PEM, the worker processes NODE_EXTRA_CA_CERTS.
let redis: TestRedis;
const root = mkdtempSync(join(tmpdir(), 'upframe-cluster-tls-'));
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  redis = await startTestRedis({ password: 'tls-pass', tls: true });
});
afterAll(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('cluster over rediss:// (TLS) with a password', () => {
  it('two workers take the parts over TLS and every frame is written once, in order', async () => {
    expect(redis.url).toMatch(/^rediss:\/\/:tls-pass@127\.0\.0\.1:\d+$/);
    for (const name of ['t1', 't2']) workers.push(await spawnWorker(name, { REDIS_URL: redis.url, ROOT: root, LOCK_MS: '2000', FRAME_MS: '10', NODE_EXTRA_CA_CERTS: redis.caFile! }));
    const connection = redisConnection(redis.url, { ca: redis.ca });
    const job = `uf-${randomBytes(4).toString('hex')}`;
    const output = join(root, `${job}.txt`);
    const framePts = Array.from({ length: 60 }, (_, i) => i * 40);
    const parts = planParts({ framePts, keyframePts: framePts.filter((_, i) => i % 10 === 0), timeBase: { num: 1, den: 1000 }, partSeconds: 0.4 });
    await submitJob(connection, { job, input: join(root, 'in.mkv'), output, parts, frames: 60, settings: { model: 'test' }, attempts: 2, backoffMs: 100 });
    const done = await waitForJob(connection, job, { pollMs: 100 });
    expect(done.state).toBe('done');
    expect(readFileSync(output, 'utf8')).toBe(framePts.map((_, i) => `frame ${i}\n`).join(''));
    // Both workers were connected over TLS and took parts.
    expect(new Set(done.parts.map((p) => p.worker))).toEqual(new Set(['t1', 't2']));
  });
});
