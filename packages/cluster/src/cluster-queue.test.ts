import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobStatus, waitForJob } from './job-status.js';
import { planParts } from './part-plan.js';
import { redisConnection } from './redis-url.js';
import { submitJob } from './submit-job.js';
import { startTestRedis, type TestRedis } from './test-support/redis-server.js';
import { spawnWorker, type WorkerProcess } from './test-support/worker-processes.js';

// Real Redis, real worker processes (the built package), loopback only. The media work is the
// lines runner (one text line per frame), so these tests are about the queue guarantees.
let redis: TestRedis;
const root = mkdtempSync(join(tmpdir(), 'upframe-cluster-'));
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  redis = await startTestRedis({ password: 'test-pass' });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

const connection = () => redisConnection(redis.url);
const newJob = () => `uf-${randomBytes(4).toString('hex')}`;
const frames = (n: number) => Array.from({ length: n }, (_, i) => i * 40);

async function start(n: number, env: Record<string, string> = {}) {
  for (let i = 0; i < n; i++) workers.push(await spawnWorker(`w${workers.length + 1}`, { REDIS_URL: redis.url, ROOT: root, LOCK_MS: '2000', FRAME_MS: '25', ...env }));
}

async function submit(job: string, output: string, n = 200, extra: { input?: string; attempts?: number } = {}) {
  const framePts = frames(n);
  const parts = planParts({ framePts, keyframePts: framePts.filter((_, i) => i % 20 === 0), timeBase: { num: 1, den: 1000 }, partSeconds: 0.8 });
  await submitJob(connection(), { job, input: extra.input ?? join(root, 'in.mkv'), output, parts, frames: n, settings: { model: 'test' }, attempts: extra.attempts ?? 3, backoffMs: 200 });
  return parts;
}

const expectEveryFrameOnce = (file: string, n: number) => expect(readFileSync(file, 'utf8')).toBe(frames(n).map((_, i) => `frame ${i}\n`).join(''));

describe('cluster on BullMQ + Redis', () => {
  it('three workers, one SIGKILLed mid-part: the part is re-run elsewhere and every frame is written once, in order', async () => {
    await start(3);
    const job = newJob();
    const output = join(root, `${job}.txt`);
    const parts = await submit(job, output);
    expect(parts).toHaveLength(10);
    let victim: { worker: string; part: number } | undefined;
    while (!victim) {
      const running = (await jobStatus(connection(), job)).parts.find((p) => p.state === 'running' && p.worker === 'w1' && p.framesDone > 2);
      if (running) victim = { worker: 'w1', part: running.index };
      else await new Promise((r) => setTimeout(r, 50));
    }
    await workers[0].kill('SIGKILL');
    const done = await waitForJob(connection(), job, { pollMs: 200 });
    expect(done.state).toBe('done');
    expectEveryFrameOnce(output, 200);
    const redone = done.parts[victim.part];
    expect(redone.state).toBe('done');
    expect(redone.worker).not.toBe('w1');
    expect(existsSync(`${output}.upframe`)).toBe(true);
  });

  it('Redis restarted mid-job (append-only file): workers reconnect and the job completes', async () => {
    await start(2);
    const job = newJob();
    const output = join(root, `${job}.txt`);
    await submit(job, output);
    while ((await jobStatus(connection(), job)).framesDone < 30) await new Promise((r) => setTimeout(r, 50));
    await redis.restart();
    const done = await waitForJob(connection(), job, { pollMs: 200 });
    expect(done.framesDone).toBe(200);
    expectEveryFrameOnce(output, 200);
  });

  it('a part that fails on every attempt fails the job naming the part and frame; a resubmit redoes only that part', async () => {
    await start(2, { FAIL_FRAME: '45' });
    const job = newJob();
    const output = join(root, `${job}.txt`);
    await submit(job, output, 200, { attempts: 2 });
    await expect(waitForJob(connection(), job, { pollMs: 200 })).rejects.toThrow(/part 3 of 10 failed after 2 attempt\(s\): frame 45: the test backend fails/);
    expect(existsSync(output)).toBe(false);
    // The other parts finish and stay committed in the journal.
    while (readdirSync(`${output}.upframe`).filter((f) => f.endsWith('.txt')).length < 9) await new Promise((r) => setTimeout(r, 100));

    await Promise.all(workers.splice(0).map((w) => w.kill()));
    await start(2);
    const again = newJob();
    await submit(again, output);
    await waitForJob(connection(), again, { pollMs: 200 });
    expectEveryFrameOnce(output, 200);
    const ran = workers.flatMap((w) => w.output().match(/ran part \d+/g) ?? []);
    expect(ran).toEqual(['ran part 2']);
  });

  // With a poll longer than the test's own timeout, only the join queue's events can end these waits.
  const NEVER_POLL = 3_600_000;

  it("`wait` returns on the job's completion event, without waiting for its next status poll", async () => {
    await start(2);
    const job = newJob();
    const output = join(root, `${job}.txt`);
    await submit(job, output, 40);
    const seen: string[] = [];
    const done = await waitForJob(connection(), job, { pollMs: NEVER_POLL, onStatus: (s) => seen.push(s.state) });
    expect(done.state).toBe('done');
    expectEveryFrameOnce(output, 40);
    // One read when the wait starts, one when the event wakes it: no poll in between.
    expect(seen.length).toBe(2);
  }, 60_000);

  it("`wait` returns on the job's failure event when a part fails for good", async () => {
    await start(1, { FAIL_FRAME: '5' });
    const job = newJob();
    await submit(job, join(root, `${job}.txt`), 40, { attempts: 1 });
    await expect(waitForJob(connection(), job, { pollMs: NEVER_POLL })).rejects.toThrow(/part 1 of \d+ failed after 1 attempt\(s\): frame 5/);
  }, 60_000);

  it('a job naming a path outside the worker roots is refused at once, and nothing is read or written', async () => {
    await start(1);
    const elsewhere = mkdtempSync(join(tmpdir(), 'upframe-not-a-root-'));
    try {
      const job = newJob();
      const output = join(elsewhere, 'out.txt');
      await submit(job, output, 40);
      await expect(waitForJob(connection(), job, { pollMs: 200 })).rejects.toThrow(/PATH_OUTSIDE_ROOT: refused: the job's output .*out\.txt is outside this worker's --root folders/);
      const status = await jobStatus(connection(), job);
      expect(status.parts.every((p) => p.attempts <= 1)).toBe(true);
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
