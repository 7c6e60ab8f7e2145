import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SinkOpenInfo } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { encoderSettings } from './encoder-args.js';
import { autoPreset, chooseVideoEncoder, CPU_ENCODE_SHARE, CPU_FLOP_PER_SECOND, X264_SECONDS_PER_MPX } from './encoder-choice.js';
import { resolveFfmpegBinaries, type ToolBinary } from './ffmpeg-binaries.js';

const SLIM_X2 = { scale: 2, flopsPerInputPixel: 445_088 };
const cpu = (model: { scale: number; flopsPerInputPixel?: number }) => ({ device: 'cpu', ...model });

describe('autoPreset', () => {
  it('on the CPU, picks the slowest preset costing at most 5% of the model: veryfast for esrgan-slim-x2', () => {
    const choice = autoPreset('libx264', cpu(SLIM_X2), 2)!;
    expect(choice.preset).toBe('veryfast');
    const modelSecondsPerMpx = (SLIM_X2.flopsPerInputPixel / 4) * 1e6 / CPU_FLOP_PER_SECOND;
    expect(X264_SECONDS_PER_MPX.veryfast).toBeLessThanOrEqual(CPU_ENCODE_SHARE * modelSecondsPerMpx);
    expect(X264_SECONDS_PER_MPX.faster).toBeGreaterThan(CPU_ENCODE_SHARE * modelSecondsPerMpx);
    expect(choice.reason).toMatch(/~3% of the model's CPU time/);
  });

  it('gives heavier models slower presets, up to medium, and x265 faster ones than x264', () => {
    expect(autoPreset('libx264', cpu({ scale: 4, flopsPerInputPixel: 20e6 }), 2)!.preset).toBe('medium');
    expect(autoPreset('libx264', cpu({ scale: 4, flopsPerInputPixel: 100_000 }), 2)!.preset).toBe('ultrafast');
    expect(autoPreset('libx265', cpu(SLIM_X2), 2)!.preset).toBe('ultrafast');
  });

  it('on a GPU, sizes the preset to the cores that encode while the GPU upscales', () => {
    const model = { device: 'cuda:0', scale: 4, flopsPerInputPixel: 1e6 };
    const many = autoPreset('libx264', model, 64)!.preset;
    const few = autoPreset('libx264', model, 2)!;
    expect(many).toBe('medium');
    expect(few.preset).toBe('ultrafast');
    expect(few.reason).toMatch(/may still not keep up/);
  });

  it('leaves the default when the model does not say what it costs', () => {
    expect(autoPreset('libx264', { device: 'cpu', scale: 2 }, 2)).toBeUndefined();
  });
});

/** An ffmpeg that answers like the real one, except that NVENC works (`ok`) or has no device (`fail`). */
async function nvencFfmpeg(mode: 'ok' | 'fail'): Promise<ToolBinary> {
  const real = (await resolveFfmpegBinaries()).ffmpeg;
  const dir = await mkdtemp(join(tmpdir(), 'upframe-nvenc-'));
  const path = join(dir, `ffmpeg-nvenc-${mode}`);
  const nvenc = mode === 'ok' ? 'exit 0' : 'echo "[h264_nvenc @ 0x1] Cannot load libcuda.so.1" >&2; echo "Error initializing output stream 0:0" >&2; exit 1';
  await writeFile(path, `#!/bin/sh\nfor a in "$@"; do case "$a" in h264_nvenc) ${nvenc};; esac; done\nexec "${real.path}" "$@"\n`);
  await chmod(path, 0o755);
  return { ...real, path };
}

const info = (device: string): SinkOpenInfo => ({
  source: { path: '/in/clip.mp4', width: 64, height: 64, layout: 'rgb24', kind: 'video' } as SinkOpenInfo['source'],
  width: 128,
  height: 128,
  layout: 'rgb24',
  inference: { device, ...SLIM_X2 },
});
const defaults = (extra: Record<string, unknown> = {}) => encoderSettings('mp4', 'rgb24', extra).settings;
/** As the sink asks: the settings from the user's options, and which of them the user gave. */
const choose = (ffmpeg: ToolBinary, device: string, given: { codec?: string; preset?: string; fixed?: boolean } = {}) =>
  chooseVideoEncoder(ffmpeg, '/out/x.mp4', 'mp4', info(device), defaults({ ...(given.codec ? { codec: given.codec } : {}), ...(given.preset ? { preset: given.preset } : {}) }), { codec: given.codec !== undefined, preset: given.preset, fixed: given.fixed ?? false }, 2);

describe('chooseVideoEncoder', () => {
  it('with CUDA inference and a working NVENC, encodes H.264 on the GPU at constant quality, and says so', async () => {
    const chosen = await choose(await nvencFfmpeg('ok'), 'cuda:0');
    expect(chosen.settings).toMatchObject({ codec: 'h264_nvenc', crf: undefined, preset: 'p5', pixelFormat: 'yuv420p' });
    expect(chosen.settings.encoderArgs).toEqual(['-rc', 'vbr', '-cq', '18', '-b:v', '0']);
    expect(chosen.notes.join('\n')).toMatch(/h264_nvenc .*--codec libx264/);
    expect(chosen.warnings).toEqual([]);
  });

  it('falls back to libx264 with a warning naming the reason when NVENC does not work', async () => {
    const chosen = await choose(await nvencFfmpeg('fail'), 'cuda:0');
    expect(chosen.settings.codec).toBe('libx264');
    expect(chosen.warnings).toEqual([expect.stringMatching(/NVENC is not usable here \(.*\); encoding with libx264 on the CPU/)]);
    expect(chosen.settings.preset).toBe(autoPreset('libx264', info('cuda:0').inference, 2)!.preset);
  });

  it('never second-guesses what the user gave, and keeps cluster parts on the defaults', async () => {
    const ffmpeg = await nvencFfmpeg('ok');
    // A named codec is the user's: no NVENC; its preset is still `auto` unless given.
    expect((await choose(ffmpeg, 'cuda:0', { codec: 'libx264' })).settings.codec).toBe('libx264');
    expect((await choose(ffmpeg, 'cpu', { preset: 'slow' })).settings.preset).toBe('slow');
    expect((await choose(ffmpeg, 'cpu')).settings.preset).toBe('veryfast');
    expect((await choose(ffmpeg, 'cuda:0', { fixed: true })).settings).toEqual(defaults());
    const auto = await choose(ffmpeg, 'cpu', { preset: 'auto', fixed: true });
    expect(auto.settings.preset).toBe('medium');
    expect(auto.notes.join()).toMatch(/cluster job/);
  });
});
