import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpegBinaries } from '@upframe/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeRgbFrames, ffmpeg, ffprobe, listDir, tempDir, upframe, type CliResult } from './test-support/cli-harness.js';
import { writeNearestPlugin } from './test-support/nearest-plugin.js';

// Interrupted runs through the real CLI: SIGKILL once the journal holds committed parts, then the
// same command again. The result must equal an uninterrupted run's.
const dir = tempDir();
const clip = join(dir, 'clip.mp4');
const vfr = join(dir, 'vfr.mkv');
let plugin = '';

beforeAll(async () => {
  plugin = writeNearestPlugin(dir);
  writeFileSync(join(dir, 'subs.srt'), '1\n00:00:00,500 --> 00:00:02,500\nhello\n\n2\n00:00:03,000 --> 00:00:03,900\nagain\n');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25:duration=4', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4', '-i', join(dir, 'subs.srt'),
    // A keyframe every 10 frames, so a resumed run seeks close to its start.
    '-map', '0:v', '-map', '1:a', '-map', '2:s', '-c:v', 'libx264', '-g', '10', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-c:s', 'mov_text', clip]);
  // Variable frame rate: 1.6 s at 10 fps, then 2 s at 25 fps.
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '8', '-pix_fmt', 'yuv420p'];
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '16', ...x264, join(dir, 'seg-a.mkv')]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25', '-frames:v', '50', ...x264, join(dir, 'seg-b.mkv')]);
  writeFileSync(join(dir, 'vfr.txt'), `file '${join(dir, 'seg-a.mkv')}'\nfile '${join(dir, 'seg-b.mkv')}'\n`);
  await ffmpeg(['-f', 'concat', '-safe', '0', '-i', join(dir, 'vfr.txt'), '-c', 'copy', vfr]);
}, 120_000);

const run = (input: string, out: string, extra: readonly string[], env: NodeJS.ProcessEnv = {}, onSpawn?: (child: ChildProcess) => void) =>
  upframe(['upscale', input, '-o', join(dir, out), '--plugin', plugin, '--backend', 'nearest', '--dedupe', 'off', '--batch', '2', '--no-config', '--report', join(dir, `${out}.json`), ...extra], { env, onSpawn });

function journalParts(out: string): number {
  try {
    return JSON.parse(readFileSync(join(dir, `${out}.upframe`, 'journal.json'), 'utf8')).parts.length;
  } catch {
    return 0;
  }
}

/** Starts the command slowly and SIGKILLs it once `ready(parts)` holds; resolves with how many parts were committed. */
async function killWhen(input: string, out: string, extra: readonly string[], ready: (parts: number) => boolean): Promise<{ parts: number; result: CliResult }> {
  let parts = 0;
  const result = await run(input, out, extra, { SLOW_MS: '40' }, (child) => {
    const timer = setInterval(() => {
      parts = journalParts(out);
      if (ready(parts)) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 20);
    child.on('close', () => clearInterval(timer));
  });
  return { parts, result };
}

async function framePts(file: string): Promise<string[]> {
  const { ffprobe: probe } = await resolveFfmpegBinaries();
  const r = spawnSync(probe.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return r.stdout.split('\n').map((l) => l.replace(/,+$/, '').trim()).filter(Boolean);
}

const report = (out: string) => JSON.parse(readFileSync(join(dir, `${out}.json`), 'utf8'));

describe('resume after SIGKILL', () => {
  it('ffv1: the resumed output decodes bit-identical to an uninterrupted run, with the same pts', async () => {
    const whole = await run(clip, 'whole.mkv', ['--codec', 'ffv1', '--part-seconds', '0']);
    expect(whole.code, whole.stderr).toBe(0);
    const killed = await killWhen(clip, 'resumed.mkv', ['--codec', 'ffv1', '--part-seconds', '0.5'], (parts) => parts >= 2);
    expect(killed.result.signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'resumed.mkv'))).toBe(false);
    const again = await run(clip, 'resumed.mkv', ['--codec', 'ffv1', '--part-seconds', '0.5']);
    expect(again.code, again.stderr).toBe(0);
    const resumedAt = killed.parts * 13;
    expect(again.stderr).toContain(`resuming at frame ${resumedAt} of 100: ${killed.parts} of 8 parts done`);
    const frames = report('resumed.mkv').frames;
    expect(frames).toMatchObject({ total: 100, written: 100, resumed: resumedAt, computed: 100 - resumedAt, inferred: 100 - resumedAt });
    // Decoding seeked to the keyframe before the resume point: at most a GOP (10 frames) is decoded twice.
    expect(frames.decoded - frames.computed).toBe(resumedAt % 10);
    const a = await decodeRgbFrames(join(dir, 'whole.mkv'), 128, 96);
    const b = await decodeRgbFrames(join(dir, 'resumed.mkv'), 128, 96);
    expect(b.length).toBe(100);
    expect(b.every((frame, i) => frame.equals(a[i]!))).toBe(true);
    expect(await framePts(join(dir, 'resumed.mkv'))).toEqual(await framePts(join(dir, 'whole.mkv')));
    expect(listDir(dir).filter((n) => n.startsWith('resumed') || n.startsWith('.upframe'))).toEqual(['resumed.mkv', 'resumed.mkv.json']);
  }, 300_000);

  it('x264 with audio and subtitles: frame count, per-frame pts, duration and streams equal an uninterrupted run', async () => {
    const whole = await run(clip, 'whole.mp4', ['--part-seconds', '0']);
    expect(whole.code, whole.stderr).toBe(0);
    const killed = await killWhen(clip, 'resumed.mp4', ['--part-seconds', '0.5'], (parts) => parts >= 1);
    expect(killed.result.signal).toBe('SIGKILL');
    const again = await run(clip, 'resumed.mp4', ['--part-seconds', '0.5']);
    expect(again.code, again.stderr).toBe(0);
    const [p, q] = [await ffprobe(join(dir, 'whole.mp4')), await ffprobe(join(dir, 'resumed.mp4'))];
    expect(q.streams.map((s) => s.codec_type)).toEqual(['video', 'audio', 'subtitle']);
    expect(q.streams.map((s) => [s.codec_type, s.duration, s.nb_frames])).toEqual(p.streams.map((s) => [s.codec_type, s.duration, s.nb_frames]));
    expect(q.format.duration).toBe(p.format.duration);
    const frames = report('resumed.mp4').frames;
    expect(frames.resumed).toBeGreaterThan(0);
    expect(frames.decoded - frames.computed).toBeLessThan(10);
    const pts = await framePts(join(dir, 'resumed.mp4'));
    expect(pts).toHaveLength(100);
    expect(pts).toEqual(await framePts(join(dir, 'whole.mp4')));
  }, 300_000);

  it('variable frame rate: the joined parts keep every frame time', async () => {
    const whole = await run(vfr, 'vfr-whole.mkv', ['--part-seconds', '0']);
    expect(whole.code, whole.stderr).toBe(0);
    const killed = await killWhen(vfr, 'vfr-resumed.mkv', ['--part-seconds', '0.5'], (parts) => parts >= 2);
    expect(killed.result.signal).toBe('SIGKILL');
    const again = await run(vfr, 'vfr-resumed.mkv', ['--part-seconds', '0.5']);
    expect(again.code, again.stderr).toBe(0);
    const frames = report('vfr-resumed.mkv').frames;
    expect(frames).toMatchObject({ total: 66, written: 66 });
    expect(frames.decoded - frames.computed).toBeLessThan(8);
    const pts = await framePts(join(dir, 'vfr-resumed.mkv'));
    expect(pts).toHaveLength(66);
    expect(pts).toEqual(await framePts(join(dir, 'vfr-whole.mkv')));
    expect((await ffprobe(join(dir, 'vfr-resumed.mkv'))).format.duration).toBe((await ffprobe(join(dir, 'vfr-whole.mkv'))).format.duration);
  }, 300_000);

  it('killed once every part is committed (at the join): the rerun joins without computing a frame', async () => {
    const killed = await killWhen(clip, 'late.mkv', ['--codec', 'ffv1', '--part-seconds', '0.5'], (parts) => parts >= 8);
    expect(killed.result.signal).toBe('SIGKILL');
    const again = await run(clip, 'late.mkv', ['--codec', 'ffv1', '--part-seconds', '0.5']);
    expect(again.code, again.stderr).toBe(0);
    expect(report('late.mkv').frames).toMatchObject({ written: 100, resumed: 100, computed: 0, inferred: 0 });
    const a = await decodeRgbFrames(join(dir, 'whole.mkv'), 128, 96);
    const b = await decodeRgbFrames(join(dir, 'late.mkv'), 128, 96);
    expect(b.length).toBe(100);
    expect(b.every((frame, i) => frame.equals(a[i]!))).toBe(true);
  }, 300_000);
});

describe('SIGKILL at each step that makes the output durable', () => {
  const ffv1 = ['--codec', 'ffv1', '--part-seconds', '0.5'];
  const sameAsWhole = async (out: string) => {
    const a = await decodeRgbFrames(join(dir, 'whole.mkv'), 128, 96);
    const b = await decodeRgbFrames(join(dir, out), 128, 96);
    expect(b.length).toBe(100);
    expect(b.every((frame, i) => frame.equals(a[i]!))).toBe(true);
    expect(await framePts(join(dir, out))).toEqual(await framePts(join(dir, 'whole.mkv')));
  };

  it('between renaming a part into the journal folder and listing it: the unlisted part is swept and encoded again', async () => {
    const killed = await run(clip, 'commit.mkv', ffv1, { UPFRAME_CRASH_AT: 'part-renamed:2' });
    expect(killed.signal).toBe('SIGKILL');
    // The second part's file is there, but the journal lists only the first.
    expect(listDir(join(dir, 'commit.mkv.upframe')).filter((n) => n.startsWith('part-'))).toEqual(['part-00000.mkv', 'part-00001.mkv']);
    expect(journalParts('commit.mkv')).toBe(1);
    const again = await run(clip, 'commit.mkv', ffv1);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('resuming at frame 13 of 100: 1 of 8 parts done');
    expect(report('commit.mkv').frames).toMatchObject({ written: 100, resumed: 13, computed: 87 });
    await sameAsWhole('commit.mkv');
    expect(existsSync(join(dir, 'commit.mkv.upframe'))).toBe(false);
  }, 300_000);

  it('during the final join, before the joined file is in place: the rerun joins again without computing a frame', async () => {
    const killed = await run(clip, 'join.mkv', ffv1, { UPFRAME_CRASH_AT: 'join-written' });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'join.mkv'))).toBe(false);
    const again = await run(clip, 'join.mkv', ffv1);
    expect(again.code, again.stderr).toBe(0);
    expect(report('join.mkv').frames).toMatchObject({ written: 100, resumed: 100, computed: 0, inferred: 0 });
    await sameAsWhole('join.mkv');
    expect(listDir(dir).filter((n) => n.startsWith('join.mkv') || n.startsWith('.upframe'))).toEqual(['join.mkv', 'join.mkv.json']);
  }, 300_000);

  it('after the output is in place, before the journal is removed: the rerun says the output is complete and removes the journal', async () => {
    const killed = await run(clip, 'placed.mkv', ffv1, { UPFRAME_CRASH_AT: 'output-placed' });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'placed.mkv.upframe', 'journal.json'))).toBe(true);
    const again = await run(clip, 'placed.mkv', ffv1);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/placed\.mkv already exists: it is complete/);
    expect(existsSync(join(dir, 'placed.mkv.upframe'))).toBe(false);
    await sameAsWhole('placed.mkv');
  }, 300_000);
});

describe('Ctrl-C keeps the committed parts', () => {
  const ffv1 = ['--codec', 'ffv1', '--part-seconds', '0.5'];
  const expectKeptAndResumable = async (out: string, killed: CliResult) => {
    expect(killed.code).toBe(130);
    expect(killed.stderr).toContain(`What was already committed is kept in ${join(dir, `${out}.upframe`)}: run the same command again to resume`);
    expect(existsSync(join(dir, out))).toBe(false);
    expect(journalParts(out)).toBeGreaterThan(0);
    const again = await run(clip, out, ffv1);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resuming at frame \d+ of 100/);
    const a = await decodeRgbFrames(join(dir, 'whole.mkv'), 128, 96);
    const b = await decodeRgbFrames(join(dir, out), 128, 96);
    expect(b.length).toBe(100);
    expect(b.every((frame, i) => frame.equals(a[i]!))).toBe(true);
  };

  it('SIGINT mid-run: exit 130, the hint names the journal folder and how to resume; the rerun completes', async () => {
    let sent = false;
    const killed = await run(clip, 'int.mkv', ffv1, { SLOW_MS: '40' }, (child) => {
      const timer = setInterval(() => {
        if (!sent && journalParts('int.mkv') >= 2) {
          sent = true;
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('close', () => clearInterval(timer));
    });
    expect(sent).toBe(true);
    await expectKeptAndResumable('int.mkv', killed);
  }, 300_000);

  it('SIGINT during the final join: cancelled, not a failed join; the parts stay and the rerun joins them', async () => {
    const killed = await run(clip, 'int-join.mkv', ffv1, { UPFRAME_CRASH_AT: 'join-started', UPFRAME_CRASH_SIGNAL: 'SIGINT' });
    expect(killed.stderr).toContain('[CANCELLED]');
    expect(journalParts('int-join.mkv')).toBe(8);
    await expectKeptAndResumable('int-join.mkv', killed);
  }, 300_000);
});

describe('a journal from other settings is refused', () => {
  it('names a changed crf, model or input and points at --fresh; --fresh starts over and removes the old parts', async () => {
    const input = join(dir, 'copy.mp4');
    writeFileSync(input, readFileSync(clip));
    const killed = await killWhen(input, 'changed.mp4', ['--part-seconds', '0.5', '--crf', '18'], (parts) => parts >= 1);
    expect(killed.result.signal).toBe('SIGKILL');

    const crf = await run(input, 'changed.mp4', ['--part-seconds', '0.5', '--crf', '20']);
    expect(crf.code).toBe(2);
    expect(crf.stderr).toMatch(/crf: 18 → 20/);
    expect(crf.stderr).toMatch(/--fresh/);
    const model = await run(input, 'changed.mp4', ['--part-seconds', '0.5', '--crf', '18', '--model', 'nearest-other']);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/model: esrgan-slim-x2 → nearest-other/);
    writeFileSync(input, Buffer.concat([readFileSync(clip), Buffer.from('changed')]));
    const changedInput = await run(input, 'changed.mp4', ['--part-seconds', '0.5', '--crf', '18']);
    expect(changedInput.code).toBe(2);
    expect(changedInput.stderr).toMatch(/input file .*copy\.mp4 changed/);
    expect(journalParts('changed.mp4')).toBeGreaterThanOrEqual(1);

    writeFileSync(input, readFileSync(clip));
    const fresh = await run(input, 'changed.mp4', ['--part-seconds', '0.5', '--crf', '20', '--fresh']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).not.toMatch(/resuming/);
    expect(report('changed.mp4').frames.resumed).toBeUndefined();
    expect(existsSync(join(dir, 'changed.mp4.upframe'))).toBe(false);
    expect(await framePts(join(dir, 'changed.mp4'))).toHaveLength(100);
  }, 300_000);
});
