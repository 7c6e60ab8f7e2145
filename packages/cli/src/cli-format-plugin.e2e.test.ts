import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, ffmpeg, tempDir, upframe } from './test-support/cli-harness.js';

// examples/plugin-smallest through the real CLI: a third-party format selector with an option,
// loaded by path, on a frame-folder output (lanczos keeps the run quick and model-free).
const SMALLEST = join(REPO, 'examples/plugin-smallest/dist/index.js');
const LANCZOS = join(REPO, 'examples/plugin-lanczos/dist/index.js');
const dir = tempDir();
const frames = join(dir, 'frames');

beforeAll(async () => {
  mkdirSync(frames);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=32x24:rate=3:duration=1', join(frames, 'f%03d.png')]);
});

const upscale = (out: string, ...extra: string[]) =>
  upframe(['upscale', frames, '-o', join(dir, out), '--plugin', SMALLEST, '--plugin', LANCZOS, '--backend', 'lanczos', '--format', 'smallest', '--report', join(dir, `${out}.json`), '--quiet', ...extra]);

describe('--format smallest (examples/plugin-smallest)', () => {
  it('writes every frame in the one format that encoded the first frame smallest, and reports the trial', async () => {
    const r = await upscale('out');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const extensions = new Set(readdirSync(join(dir, 'out')).map((f) => f.split('.').pop()));
    expect(extensions.size).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    const [ext] = [...extensions];
    expect(report.details.format).toMatch(new RegExp(`^${ext} for 3 frame\\(s\\): smallest lossless encoding of frame 0 \\(png \\d+ B, webp \\d+ B\\)$`));
  });

  it('--format-opt candidates=tiff limits the trial to TIFF', async () => {
    const r = await upscale('tiff', '--format-opt', 'candidates=tiff');
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'tiff')).every((f) => f.endsWith('.tiff'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'tiff.json'), 'utf8')).details.format).toMatch(/^tiff for 3 frame\(s\).*\(tiff \d+ B\)$/);
  });

  it.each([
    [['--format-opt', 'candidates=png,jpeg'], /candidates must list formats from png, webp, tiff, avif; got "png,jpeg"/],
    [['--format-opt', 'colours=8'], /unknown option "colours" for .*allowed: candidates \(string\)/],
  ])('%j is a usage error naming what is allowed', async (extra, message) => {
    const r = await upscale(`bad-${extra[1]!.split('=')[0]}`, ...extra);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
