import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir, upframe } from './test-support/cli-harness.js';

describe('upframe usage, help and plugins', () => {
  it('--help for upscale documents every option', async () => {
    const r = await upframe(['upscale', '--help']);
    expect(r.code).toBe(0);
    for (const option of ['--backend', '--model', '--device', '--dedupe', '--format', '--batch', '--tile', '--codec', '--crf', '--preset', '--no-audio', '--no-subtitles', '--report', '--plugin', '--overwrite', '--quiet', '--json', '-o, --output']) {
      expect(r.stdout).toContain(option);
    }
    const top = await upframe(['--help']);
    for (const cmd of ['upscale', 'demo', 'models', 'backends', 'validate', 'bench', 'cluster', 'worker']) expect(top.stdout).toContain(cmd);
  });

  it.each([
    [['upscale', 'in.mp4'], /required option '-o, --output/],
    [['upscale', 'in.mp4', '-o', 'x.mp4', '--batch', 'lots'], /--batch must be auto or a positive integer/],
    [['upscale', 'in.mp4', '-o', 'x.mp4', '--device', 'tpu'], /--device must be auto, cpu, cuda or cuda:N/],
    [['frobnicate'], /unknown command/],
    [['upscale', 'in.mp4', '-o', 'x.mp4', '--bogus'], /unknown option/],
  ])('usage error %j exits 2 with a message', async (args, message) => {
    const r = await upframe(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an unknown backend name exits 2 and lists the registered ones', async () => {
    const dir = tempDir();
    const r = await upframe(['upscale', join(REPO, 'packages/cli/assets/demo.mp4'), '-o', join(dir, 'o.mp4'), '--backend', 'magic']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown backend "magic"; registered: .*onnx/);
  });

  it('loads a third-party plugin by path and runs its backend', async () => {
    const dir = tempDir();
    const plugin = join(REPO, 'examples/plugin-lanczos/dist/index.js');
    const out = join(dir, 'o.png');
    const img = join(REPO, 'packages/cli/assets/demo.mp4');
    const r = await upframe(['upscale', img, '-o', join(dir, 'o.mp4'), '--plugin', plugin, '--backend', 'lanczos', '--model', 'cubic-x3', '--quiet', '--report', join(dir, 'r.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const backends = await upframe(['backends', '--json', '--plugin', plugin]);
    const names = JSON.parse(backends.stdout).backends.map((b: { name: string }) => b.name);
    expect(names).toEqual(expect.arrayContaining(['onnx', 'tfjs', 'lanczos']));
    expect(out).toBeTruthy();
  });

  it('a module that is not a plugin is a clear error naming it', async () => {
    const r = await upframe(['models', '--plugin', join(REPO, 'package.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot load plugin ".*package\.json"/);
  });

  it('models lists the catalog with scale, size, backends and install state', async () => {
    const r = await upframe(['models', '--json']);
    expect(r.code).toBe(0);
    const models = JSON.parse(r.stdout).models;
    const slim = models.find((m: { id: string }) => m.id === 'esrgan-slim-x2');
    expect(slim).toMatchObject({ scale: 2, installed: true });
    expect(slim.backends).toEqual(expect.arrayContaining(['onnx', 'tfjs']));
    // thick (115 MB) is not a dependency: it is listed only once installed, with a hint until then.
    expect(models.find((m: { id: string }) => m.id === 'esrgan-thick-x4')).toBeUndefined();
    expect(JSON.parse(r.stdout).notInstalled).toEqual(['@upscalerjs/esrgan-thick']);
  });
});
