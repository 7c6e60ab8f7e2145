import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, listDir, tempDir, upframe, type CliResult } from './test-support/cli-harness.js';
import { writeNearestPlugin } from './test-support/nearest-plugin.js';

// Frame-folder outputs interrupted by SIGKILL once some frames are committed in OUT.upframe/, then
// the same command again: the folder must equal an uninterrupted run's, file for file, byte for byte.
const dir = tempDir();
const clip = join(dir, 'clip.mp4');
const pngs = join(dir, 'pngs');
let plugin = '';

beforeAll(async () => {
  plugin = writeNearestPlugin(dir);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25:duration=2', '-c:v', 'libx264', '-g', '10', '-pix_fmt', 'yuv420p', clip]);
  mkdirSync(pngs);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=48x32:rate=25', '-frames:v', '40', join(pngs, 'shot_%03d.png')]);
}, 120_000);

const run = (input: string, out: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}, onSpawn?: (child: ChildProcess) => void) =>
  upframe(['upscale', input, '-o', join(dir, out), '--plugin', plugin, '--backend', 'nearest', '--dedupe', 'off', '--batch', '2', '--no-config', '--report', join(dir, `${out}.json`), ...extra], { env, onSpawn });

/** Frames recorded in the journal: complete lines of its frames.jsonl. */
function committed(out: string): number {
  try {
    return readFileSync(join(dir, `${out}.upframe`, 'frames.jsonl'), 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** Runs the command slowly and SIGKILLs it once at least `frames` frames are committed. */
async function killAfter(input: string, out: string, frames: number, extra: readonly string[] = []): Promise<{ seen: number; result: CliResult }> {
  let seen = 0;
  const result = await run(input, out, extra, { SLOW_MS: '40' }, (child) => {
    const timer = setInterval(() => {
      seen = committed(out);
      if (seen >= frames) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 10);
    child.on('close', () => clearInterval(timer));
  });
  return { seen, result };
}

/** Every file of a folder with its bytes, for a byte-for-byte comparison. */
function contents(folder: string): Record<string, string> {
  return Object.fromEntries(readdirSync(folder).sort().map((n) => [n, readFileSync(join(folder, n)).toString('base64')]));
}

const report = (out: string) => JSON.parse(readFileSync(join(dir, `${out}.json`), 'utf8'));

/** The frame the rerun said it resumed at, checked against the report. */
function resumedAt(result: CliResult, total: number, out: string): number {
  const match = new RegExp(`resuming at frame (\\d+) of ${total}: \\d+ frame\\(s\\) already written and verified \\(.*${out}\\.upframe\\)`).exec(result.stderr);
  expect(match, result.stderr).not.toBeNull();
  return Number(match![1]);
}

describe('frame-folder output resumes after SIGKILL', () => {
  it('video in: the rerun computes only the rest and the folder equals an uninterrupted run', async () => {
    const whole = await run(clip, 'v-whole');
    expect(whole.code, whole.stderr).toBe(0);
    const killed = await killAfter(clip, 'v-resumed', 8);
    expect(killed.result.signal).toBe('SIGKILL');
    // Nothing under the output name until the end: the frames live in the journal folder.
    expect(existsSync(join(dir, 'v-resumed'))).toBe(false);
    expect(readdirSync(join(dir, 'v-resumed.upframe', 'frames')).length).toBeGreaterThanOrEqual(killed.seen);

    const again = await run(clip, 'v-resumed');
    expect(again.code, again.stderr).toBe(0);
    const at = resumedAt(again, 50, 'v-resumed');
    expect(at).toBeGreaterThanOrEqual(killed.seen);
    const frames = report('v-resumed').frames;
    expect(frames).toMatchObject({ total: 50, written: 50, resumed: at, computed: 50 - at, inferred: 50 - at });
    expect(frames.resumed + frames.computed).toBe(frames.total);
    expect(Object.keys(contents(join(dir, 'v-resumed')))).toHaveLength(50);
    expect(contents(join(dir, 'v-resumed'))).toEqual(contents(join(dir, 'v-whole')));
    expect(listDir(dir).filter((n) => n.startsWith('v-resumed') || n.startsWith('.upframe'))).toEqual(['v-resumed', 'v-resumed.json']);
  }, 300_000);

  it('PNG folder in: resumes without decoding the kept frames again; other settings are refused; --fresh starts over', async () => {
    const whole = await run(pngs, 'p-whole');
    expect(whole.code, whole.stderr).toBe(0);
    const killed = await killAfter(pngs, 'p-resumed', 6);
    expect(killed.result.signal).toBe('SIGKILL');
    const again = await run(pngs, 'p-resumed');
    expect(again.code, again.stderr).toBe(0);
    const at = resumedAt(again, 40, 'p-resumed');
    const frames = report('p-resumed').frames;
    expect(frames).toMatchObject({ total: 40, written: 40, resumed: at, computed: 40 - at, decoded: 40 - at });
    expect(at).toBeGreaterThan(0);
    expect(contents(join(dir, 'p-resumed'))).toEqual(contents(join(dir, 'p-whole')));
    expect(Object.keys(contents(join(dir, 'p-whole')))[0]).toBe('shot_001.png');

    const changedOut = 'p-changed';
    const first = await killAfter(pngs, changedOut, 4);
    expect(first.result.signal).toBe('SIGKILL');
    const format = await run(pngs, changedOut, ['--format', 'webp']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/format: source → webp/);
    expect(format.stderr).toMatch(/--fresh/);
    const model = await run(pngs, changedOut, ['--model', 'nearest-other']);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/model: esrgan-slim-x2 → nearest-other/);
    // A frame of the input touched since: same names and sizes, new modification time.
    const frame = join(pngs, 'shot_002.png');
    utimesSync(frame, new Date(), new Date(Date.now() + 120_000));
    const input = await run(pngs, changedOut);
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/input folder .*pngs changed since/);
    expect(committed(changedOut)).toBeGreaterThanOrEqual(4);

    const fresh = await run(pngs, changedOut, ['--fresh']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).not.toMatch(/resuming/);
    expect(report(changedOut).frames.resumed).toBeUndefined();
    expect(report(changedOut).frames).toMatchObject({ total: 40, written: 40 });
    expect(existsSync(join(dir, `${changedOut}.upframe`))).toBe(false);
    expect(contents(join(dir, changedOut))).toEqual(contents(join(dir, 'p-whole')));
  }, 300_000);

  it('--part-seconds 0 keeps the old behaviour: a killed run leaves no journal, and the rerun starts over', async () => {
    // The frames of such a run are only in its private workspace (.upframe-tmp-…) beside the output.
    const workspaceFrames = () => listDir(dir).filter((n) => n.startsWith('.upframe-tmp-')).reduce((sum, n) => sum + readdirSync(join(dir, n)).length, 0);
    const killed = await run(pngs, 'p-oneshot', ['--part-seconds', '0'], { SLOW_MS: '40' }, (child) => {
      const timer = setInterval(() => {
        if (workspaceFrames() >= 4) {
          clearInterval(timer);
          child.kill('SIGKILL');
        }
      }, 10);
      child.on('close', () => clearInterval(timer));
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'p-oneshot.upframe'))).toBe(false);
    const again = await run(pngs, 'p-oneshot', ['--part-seconds', '0']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/resuming/);
    expect(again.stderr).toMatch(/removed .*\.upframe-tmp-.*, the unfinished output of an earlier run that was killed/);
    expect(report('p-oneshot').frames.resumed).toBeUndefined();
    expect(contents(join(dir, 'p-oneshot'))).toEqual(contents(join(dir, 'p-whole')));
  }, 300_000);
});
