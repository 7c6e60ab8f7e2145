import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobStatus, redisConnection } from '@upframe/cluster';
import { resolveFfmpegBinaries } from '@upframe/io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeRgbFrames, ffmpeg, ffprobe, tempDir, upframe } from './test-support/cli-harness.js';
import { startTestRedis, startWorker, writeClusterPlugin, type TestRedis, type WorkerProcess } from './test-support/cluster-harness.js';

// `upframe cluster` end to end: real Redis on loopback, real `upframe worker` processes, media
// made by ffmpeg. The reference is a local `upframe upscale` of the same settings.
const dir = tempDir();
const clip = join(dir, 'clip.mp4');
const dark = join(dir, 'dark.mp4');
const vfr = join(dir, 'vfr.mkv');
let plugin = '';
let redis: TestRedis;
const workers: WorkerProcess[] = [];
const SETTINGS = ['--backend', 'nearest', '--dedupe', 'off', '--batch', '2', '--no-config'];

beforeAll(async () => {
  plugin = writeClusterPlugin(dir);
  redis = await startTestRedis();
  writeFileSync(join(dir, 'subs.srt'), '1\n00:00:00,500 --> 00:00:01,500\nhello\n\n2\n00:00:02,000 --> 00:00:02,800\nagain\n');
  // 75 frames, a keyframe every 10: parts of 1 s start at frames 0, 30 and 60.
  const x264 = ['-c:v', 'libx264', '-g', '10', '-pix_fmt', 'yuv420p'];
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=25:duration=3', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-i', join(dir, 'subs.srt'), '-map', '0:v', '-map', '1:a', '-map', '2:s', ...x264, '-c:a', 'aac', '-c:s', 'mov_text', clip]);
  // Frames 40–49 black: the second part holds them.
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=25:duration=3', '-vf', "drawbox=enable='between(n,40,49)':color=black:t=fill", ...x264, dark]);
  // Variable frame rate: 1.6 s at 10 fps, then 2 s at 25 fps, a keyframe every 8 frames.
  const fast = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '8', '-pix_fmt', 'yuv420p'];
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=10', '-frames:v', '16', ...fast, join(dir, 'seg-a.mkv')]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=25', '-frames:v', '50', ...fast, join(dir, 'seg-b.mkv')]);
  writeFileSync(join(dir, 'vfr.txt'), `file '${join(dir, 'seg-a.mkv')}'\nfile '${join(dir, 'seg-b.mkv')}'\n`);
  await ffmpeg(['-f', 'concat', '-safe', '0', '-i', join(dir, 'vfr.txt'), '-c', 'copy', vfr]);
  const local = await upframe(['upscale', clip, '-o', join(dir, 'local.mkv'), '--plugin', plugin, ...SETTINGS, '--codec', 'ffv1']);
  expect(local.code, local.stderr).toBe(0);
}, 120_000);
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(n: number, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}, root = dir): Promise<void> {
  for (let i = 0; i < n; i++) workers.push(await startWorker(`w${workers.length + 1}`, ['--redis', redis.url, '--root', root, '--plugin', plugin, '--no-config', '--threads', '1', '--lock-seconds', '2', ...extra], env));
}

async function submit(input: string, output: string, extra: readonly string[] = []): Promise<string> {
  const r = await upframe(['cluster', 'submit', input, '-o', output, '--redis', redis.url, '--plugin', plugin, ...SETTINGS, '--part-seconds', '1', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^uf-[0-9a-f]{12}\n$/);
  return r.stdout.trim();
}

const wait = (job: string) => upframe(['cluster', 'wait', job, '--redis', redis.url, '--quiet']);

async function status(job: string): Promise<{ state: string; parts: { index: number; state: string; worker?: string; framesDone: number; attempts: number }[] }> {
  const r = await upframe(['cluster', 'status', job, '--redis', redis.url, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Per-frame pts of the video stream, as ffprobe prints them. */
async function framePts(file: string): Promise<string[]> {
  const { ffprobe: probe } = await resolveFfmpegBinaries();
  const r = spawnSync(probe.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return r.stdout.split('\n').map((l) => l.replace(/,+$/, '').trim()).filter(Boolean);
}

const streams = async (file: string) => (await ffprobe(file)).streams.map((s) => s.codec_type);

async function expectSameAsLocal(output: string): Promise<void> {
  const a = await decodeRgbFrames(join(dir, 'local.mkv'), 128, 72);
  const b = await decodeRgbFrames(output, 128, 72);
  expect(a).toHaveLength(75);
  expect(b).toHaveLength(75);
  expect(b.every((frame, i) => frame.equals(a[i]))).toBe(true);
  expect(await framePts(output)).toEqual(await framePts(join(dir, 'local.mkv')));
  expect(await streams(output)).toEqual(['video', 'audio', 'subtitle']);
  expect((await ffprobe(output)).format.duration).toBe((await ffprobe(join(dir, 'local.mkv'))).format.duration);
}

describe('upframe cluster', () => {
  it('three workers, ffv1: frames bit-identical to a local run, same pts, audio and subtitles kept; x264: same frames, pts, duration and streams', async () => {
    await start(3);
    const output = join(dir, 'three.mkv');
    const job = await submit(clip, output, ['--codec', 'ffv1']);
    const done = await wait(job);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout.trim()).toBe(output);
    await expectSameAsLocal(output);
    const s = await status(job);
    expect(s.state).toBe('done');
    expect(s.parts.map((p) => p.state)).toEqual(['done', 'done', 'done']);
    const text = await upframe(['cluster', 'status', job, '--redis', redis.url]);
    expect(text.stdout).toContain(`job ${job}: done, 75/75 frames → ${output}`);
    expect(text.stdout).toMatch(/^1 +done +30\/30 +w\d/m);
    expect(existsSync(`${output}.upframe`)).toBe(false);

    const local = await upframe(['upscale', clip, '-o', join(dir, 'local.mp4'), '--plugin', plugin, ...SETTINGS]);
    expect(local.code, local.stderr).toBe(0);
    const mp4 = join(dir, 'three.mp4');
    expect((await wait(await submit(clip, mp4))).code).toBe(0);
    expect(await framePts(mp4)).toEqual(await framePts(join(dir, 'local.mp4')));
    const [a, b] = [await ffprobe(mp4), await ffprobe(join(dir, 'local.mp4'))];
    expect(a.format.duration).toBe(b.format.duration);
    expect(a.streams.map((st) => [st.codec_type, st.nb_frames, st.duration])).toEqual(b.streams.map((st) => [st.codec_type, st.nb_frames, st.duration]));
  }, 180_000);

  it('variable frame rate input stays VFR: the same frames and pts as a local run', async () => {
    await start(2);
    const local = await upframe(['upscale', vfr, '-o', join(dir, 'vfr-local.mkv'), '--plugin', plugin, ...SETTINGS, '--codec', 'ffv1']);
    expect(local.code, local.stderr).toBe(0);
    const output = join(dir, 'vfr-cluster.mkv');
    const done = await wait(await submit(vfr, output, ['--codec', 'ffv1']));
    expect(done.code, done.stderr).toBe(0);
    const pts = await framePts(output);
    expect(pts).toHaveLength(66);
    expect(pts).toEqual(await framePts(join(dir, 'vfr-local.mkv')));
    // Gaps of 0.1 s, then of 0.04 s.
    expect(Number(pts[1]) - Number(pts[0])).toBeCloseTo(0.1, 3);
    expect(Number(pts[65]) - Number(pts[64])).toBeCloseTo(0.04, 3);
    const [a, b] = [await decodeRgbFrames(output, 128, 72), await decodeRgbFrames(join(dir, 'vfr-local.mkv'), 128, 72)];
    expect(a.length).toBe(66);
    expect(a.every((frame, i) => frame.equals(b[i]))).toBe(true);
  }, 120_000);

  it('three workers, one SIGKILLed mid-part: its part is re-run by another worker after the lock expires, every frame once, audio and subtitles kept', async () => {
    await start(3, [], { SLOW_MS: '150' });
    const output = join(dir, 'killed.mkv');
    const job = await submit(clip, output, ['--codec', 'ffv1']);
    let victim: number | undefined;
    while (victim === undefined) {
      const now = await jobStatus(redisConnection(redis.url), job);
      expect(now.state).not.toBe('done');
      victim = now.parts.find((p) => p.state === 'running' && p.worker === 'w1' && p.framesDone >= 2)?.index;
      await new Promise((r) => setTimeout(r, 50));
    }
    await workers[0].kill('SIGKILL');
    const done = await wait(job);
    expect(done.code, done.stderr).toBe(0);
    await expectSameAsLocal(output);
    const redone = (await status(job)).parts[victim];
    expect(redone.state).toBe('done');
    expect(redone.worker).toMatch(/^w[23]$/);
  }, 180_000);

  it('Redis restarted mid-job (append-only file on): the workers reconnect and the job completes, identical to a local run', async () => {
    await start(2, [], { SLOW_MS: '60' });
    const output = join(dir, 'restarted.mkv');
    const job = await submit(clip, output, ['--codec', 'ffv1']);
    let before = await jobStatus(redisConnection(redis.url), job);
    while (before.framesDone < 10) before = await new Promise((r) => setTimeout(r, 50)).then(() => jobStatus(redisConnection(redis.url), job));
    expect(before.framesDone).toBeLessThan(75);
    await redis.restart();
    const done = await wait(job);
    expect(done.code, done.stderr).toBe(0);
    await expectSameAsLocal(output);
  }, 180_000);

  it('a part that fails on every attempt: wait exits 1 naming the part and frame; the committed parts stay and a resubmit redoes only that part', async () => {
    await start(2, [], { FAIL_DARK: '1' });
    const output = join(dir, 'failing.mkv');
    const job = await submit(dark, output, ['--codec', 'ffv1', '--attempts', '2']);
    const failed = await wait(job);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/part 2 of 3 failed after 2 attempt\(s\): .*frame 40.*a dark frame: the test backend fails on it/);
    expect(existsSync(output)).toBe(false);
    // Parts 1 and 3 are committed, whatever the order the workers took them in.
    while (!['part-00000.json', 'part-00002.json'].every((f) => existsSync(join(`${output}.upframe`, f)))) await new Promise((r) => setTimeout(r, 100));

    await Promise.all(workers.splice(0).map((w) => w.kill()));
    await start(2);
    const again = await wait(await submit(dark, output, ['--codec', 'ffv1', '--attempts', '2']));
    expect(again.code, again.stderr).toBe(0);
    expect(await framePts(output)).toHaveLength(75);
    const log = workers.map((w) => w.output()).join('');
    expect(log.match(/part \d\/3 of \S+: already committed/g)?.sort()).toEqual([expect.stringMatching(/^part 1\/3/), expect.stringMatching(/^part 3\/3/)]);
    expect(log.match(/part \d\/3 of \S+: committed/g)).toEqual([expect.stringMatching(/^part 2\/3/)]);
  }, 180_000);

  it('a job naming a path outside the worker roots is refused with a clear error, and nothing is written there', async () => {
    const root = join(dir, 'root');
    mkdirSync(root);
    const elsewhere = mkdtempSync(join(tmpdir(), 'upframe-not-a-root-'));
    try {
      copyFileSync(clip, join(root, 'clip.mp4'));
      await start(1, [], {}, root);
      const job = await submit(join(root, 'clip.mp4'), join(elsewhere, 'out.mkv'));
      const refused = await wait(job);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/PATH_OUTSIDE_ROOT: refused: the job's output .*out\.mkv is outside this worker's --root folders/);
      // Refused at once: a payload the worker cannot accept is not retried.
      const parts = (await status(job)).parts;
      expect(parts.some((p) => p.state === 'failed')).toBe(true);
      expect(parts.every((p) => p.attempts <= 1)).toBe(true);
      expect(readdirSync(elsewhere)).toEqual([]);
      expect(workers[0].output()).not.toMatch(/frames \d+–\d+/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 120_000);

  it('a job naming a backend the worker has not installed fails naming it: plugins are never loaded from the job', async () => {
    // This worker has no --plugin: the submitting machine's `nearest` is unknown to it.
    workers.push(await startWorker('bare', ['--redis', redis.url, '--root', dir, '--no-config', '--threads', '1', '--lock-seconds', '2']));
    const output = join(dir, 'no-plugin.mkv');
    const failed = await wait(await submit(clip, output, ['--codec', 'ffv1', '--attempts', '1']));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/part \d of 3 failed after 1 attempt\(s\): unknown backend "nearest"; registered: onnx, tfjs/);
    expect(existsSync(output)).toBe(false);
  }, 120_000);

  it('usage mistakes exit 2 (a worker without --root, a submit without --redis, an image input); an unreachable Redis exits 1 naming it', async () => {
    expect((await upframe(['worker', '--redis', redis.url])).code).toBe(2);
    expect((await upframe(['cluster', 'submit', clip, '-o', join(dir, 'x.mkv')])).code).toBe(2);
    const png = join(dir, 'still.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36', '-frames:v', '1', png]);
    const image = await upframe(['cluster', 'submit', png, '-o', join(dir, 'still.mkv'), '--redis', redis.url, '--no-config']);
    expect(image.code).toBe(2);
    expect(image.stderr).toMatch(/a cluster job upscales a video file into a video file/);
    // Not a usage mistake, but not a hang either: an unreachable Redis is named.
    const unreachable = await upframe(['cluster', 'status', 'uf-000000000000', '--redis', 'redis://:pw@127.0.0.1:1']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*\[QUEUE_UNAVAILABLE\]/);
    expect(unreachable.stderr).not.toContain('pw');
  }, 60_000);
});
