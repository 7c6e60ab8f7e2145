import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resolveFfmpegBinaries } from '@upframe/io';
import { countFrames, decodeRgbFrames, ffmpeg, ffprobe, listDir, tempDir, upframe, videoPacketTimes } from './test-support/cli-harness.js';

// Animated GIF, APNG and animated WebP are sequences: every frame, each at the sum of the delays
// before it, to a video or back to an animation with the same delays and play count. Transparency
// is read from the pixels. Inputs are tiny so the default model runs in seconds on a CPU.

const DELAYS_MS = [100, 100, 100, 100, 100, 300, 300, 300, 300, 300];
const PTS_MS = DELAYS_MS.map((_, i) => DELAYS_MS.slice(0, i).reduce((a, b) => a + b, 0));
// ffmpeg takes each frame's pts from setpts (centiseconds); the GIF/APNG muxer turns the gaps into delays.
const SETPTS = `settb=1/100,setpts='${PTS_MS.map((p, i) => `eq(N\\,${i})*${p / 10}`).join('+')}'`;

async function lavfiGif(dir: string): Promise<string> {
  const out = join(dir, 'clip.gif');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=24x16:rate=10', '-frames:v', '10', '-vf', SETPTS, '-vsync', 'passthrough', '-loop', '0', out]);
  return out;
}

async function lavfiApng(dir: string): Promise<string> {
  const out = join(dir, 'clip.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=24x16:rate=10', '-frames:v', '10', '-vf', SETPTS, '-vsync', 'passthrough', '-plays', '0', '-final_delay', '0.3', '-f', 'apng', out]);
  return out;
}

/** Four RGBA frames (red = 40·i); the left five columns are fully transparent when `clear`. */
async function sharpWebp(file: string, clear: boolean): Promise<string> {
  const [w, h, n] = [20, 12, 4];
  const data = Buffer.alloc(w * h * 4 * n);
  for (let f = 0; f < n; f++) {
    for (let p = 0; p < w * h; p++) data.set([40 * f, (p * 7) % 256, 128, clear && p % w < 5 ? 0 : 255], (f * w * h + p) * 4);
  }
  await sharp(data, { raw: { width: w, height: h * n, channels: 4, pageHeight: h } }).webp({ lossless: true, delay: [40, 120, 80, 200], loop: 3 }).toFile(file);
  return file;
}

/** Frame count, per-frame delays, play count and page height, as sharp reads an animated GIF/WebP. */
async function animation(file: string) {
  const m = await sharp(file, { animated: true }).metadata();
  return { pages: m.pages, delay: m.delay, loop: m.loop, width: m.width, height: m.pageHeight, channels: m.channels };
}

/** acTL (frames, plays) and each fcTL delay in ms of an APNG. */
function apngTiming(file: string): { frames: number; plays: number; delays: number[] } | undefined {
  const b = readFileSync(file);
  let control: { frames: number; plays: number } | undefined;
  const delays: number[] = [];
  for (let at = 8; at + 12 <= b.length; at += 12 + b.readUInt32BE(at)) {
    const type = b.toString('latin1', at + 4, at + 8);
    if (type === 'acTL') control = { frames: b.readUInt32BE(at + 8), plays: b.readUInt32BE(at + 12) };
    if (type === 'fcTL') delays.push((1000 * b.readUInt16BE(at + 28)) / (b.readUInt16BE(at + 30) || 100));
  }
  return control && { ...control, delays };
}

describe('upframe upscale animated images', () => {
  it('an opaque GIF → MP4: every frame at its own time, no alpha refusal; → GIF and WebP keep frames, delays and looping', async () => {
    const dir = tempDir();
    const gif = await lavfiGif(dir);
    expect((await animation(gif)).delay).toEqual(DELAYS_MS);

    const mp4 = join(dir, 'clip.mp4');
    const r = await upframe(['upscale', gif, '-o', mp4, '--quiet']);
    expect(r.stderr).not.toMatch(/alpha|transparen/i);
    expect(r.code).toBe(0);
    expect(await countFrames(mp4)).toBe(10);
    // MP4 keeps variable timing: each frame's pts is the sum of the delays before it.
    expect((await videoPacketTimes(mp4)).map((t) => Math.round(t * 1000))).toEqual(PTS_MS);
    // The last frame lasts its own delay: the video is as long as the animation (1.7 s + 0.3 s).
    expect(Number((await ffprobe(mp4)).format.duration)).toBeCloseTo(DELAYS_MS.reduce((a, b) => a + b) / 1000, 2);

    // Without dedupe every output frame differs, so the GIF and WebP encoders have no repeat to merge.
    for (const ext of ['gif', 'webp']) {
      const out = join(dir, `x2.${ext}`);
      const back = await upframe(['upscale', gif, '-o', out, '--quiet', '--dedupe', 'off']);
      expect(back.code).toBe(0);
      expect(await animation(out)).toMatchObject({ pages: 10, delay: DELAYS_MS, loop: 0, width: 48, height: 32 });
    }
  });

  it('an APNG → APNG keeps every frame, delay and its play count; a single-frame GIF stays a single image', async () => {
    const dir = tempDir();
    const apng = await lavfiApng(dir);
    expect(apngTiming(apng)).toEqual({ frames: 10, plays: 0, delays: DELAYS_MS });
    const out = join(dir, 'x2.png');
    const r = await upframe(['upscale', apng, '-o', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(apngTiming(out)).toEqual({ frames: 10, plays: 0, delays: DELAYS_MS });
    expect(await countFrames(out)).toBe(10);

    const single = join(dir, 'one.gif');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=24x16', '-frames:v', '1', single]);
    const still = join(dir, 'one-x2.png');
    const s = await upframe(['upscale', single, '-o', still, '--quiet']);
    expect(s.code).toBe(0);
    expect(apngTiming(still)).toBeUndefined();
    expect((await sharp(still).metadata()).width).toBe(48);
  });

  it('a transparent WebP keeps its alpha, delays and 3 plays as WebP; MP4 and JPEG are refused before any work; --alpha drop flattens with one warning', async () => {
    const dir = tempDir();
    const webp = await sharpWebp(join(dir, 'anim.webp'), true);
    const out = join(dir, 'x2.webp');
    const kept = await upframe(['upscale', webp, '-o', out, '--quiet']);
    expect(kept.code).toBe(0);
    expect(await animation(out)).toMatchObject({ pages: 4, delay: [40, 120, 80, 200], loop: 3, width: 40, height: 24, channels: 4 });
    const { data } = await sharp(out, { page: 3 }).raw().toBuffer({ resolveWithObject: true });
    expect([data[3], data[39 * 4 + 3]]).toEqual([0, 255]);

    for (const refused of ['x2.mp4', 'x2.jpg']) {
      const r = await upframe(['upscale', webp, '-o', join(dir, refused)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${webp} has transparency`);
      expect(r.stderr).toMatch(/--alpha drop/);
      expect(r.stderr).not.toMatch(/dropAlpha|flattenAlpha/);
      expect(r.stderr).not.toMatch(/\d+\/4 frames/);
    }
    expect(listDir(dir)).toEqual(['anim.webp', 'x2.webp']);

    const mp4 = join(dir, 'flat.mp4');
    const dropped = await upframe(['upscale', webp, '-o', mp4, '--alpha', 'drop', '--background', '#00ff00']);
    expect(dropped.code).toBe(0);
    expect(dropped.stderr.match(/transparency dropped as asked \(--alpha drop\): flattened onto #00ff00/g)).toHaveLength(1);
    expect((await videoPacketTimes(mp4)).map((t) => Math.round(t * 1000))).toEqual([0, 40, 160, 240]);
    const [first] = await decodeRgbFrames(mp4, 40, 24);
    // The cleared left edge became the background: green, not the hidden colour under alpha 0.
    const [red, green] = [first[12 * 40 * 3], first[1 + 12 * 40 * 3]];
    expect(green).toBeGreaterThan(150);
    expect(green - red).toBeGreaterThan(100);
  });

  it('an RGBA APNG whose pixels are all opaque goes to MP4; an MKV with --codec ffv1 --pix-fmt yuva420p keeps real transparency', async () => {
    const dir = tempDir();
    const opaque = join(dir, 'rgba.apng');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=24x16:rate=10', '-frames:v', '4', '-pix_fmt', 'rgba', '-plays', '0', '-f', 'apng', opaque]);
    expect((await sharp(opaque).metadata()).channels).toBe(4);
    const r = await upframe(['upscale', opaque, '-o', join(dir, 'o.mp4'), '--quiet']);
    expect(r.code).toBe(0);
    expect(await countFrames(join(dir, 'o.mp4'))).toBe(4);

    const clear = await sharpWebp(join(dir, 'clear.webp'), true);
    const mkv = join(dir, 'alpha.mkv');
    const k = await upframe(['upscale', clear, '-o', mkv, '--codec', 'ffv1', '--pix-fmt', 'yuva420p', '--quiet']);
    expect(k.code).toBe(0);
    expect(await countFrames(mkv)).toBe(4);
    const { ffmpeg: bin } = await resolveFfmpegBinaries();
    const rgba = spawnSync(bin.path, ['-v', 'error', '-i', mkv, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { maxBuffer: 1 << 24 }).stdout;
    // Left edge cleared, right edge opaque: the alpha made it through the model and the encoder.
    expect([rgba[3], rgba[39 * 4 + 3]]).toEqual([0, 255]);
  });
});
