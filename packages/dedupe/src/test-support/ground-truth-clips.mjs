// Small clips whose held frames are known by construction, for the tests and the accuracy bench.
// Each clip is a lavfi "content" graph (what is drawn), an optional distortion applied only
// before encoding (noise that must not count as motion), and an encoding. Ground truth comes
// from the content rendered straight to rgb24 without any codec: a frame is held exactly when
// its pixels equal the previous frame's, so "known from construction" is also checked.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from './ffmpeg-exec.mjs';

export const CLIP_WIDTH = 160;
export const CLIP_HEIGHT = 90;
export const CLIP_FPS = 24;
export const CLIP_FRAMES = 96; // 4 s

const W = CLIP_WIDTH;
const H = CLIP_HEIGHT;
const N = CLIP_FRAMES;
const R = CLIP_FPS;
const size = `s=${W}x${H}`;
/** Repeats the first frame of `source` for the whole clip: the basis of stills, pans and fades. */
const still = (source, frames = N) => `${source},trim=end_frame=1,loop=loop=${frames - 1}:size=1:start=0,setpts=N/${R}/TB`;
const mandelbrot = (dims = `${W}x${H}`) => `mandelbrot=s=${dims}:r=${R}`;

const CONTENT = {
  // Full-frame animation drawn at 12 or 8 drawings per second and shown at 24 fps.
  twos: `testsrc2=${size}:r=12:d=5,fps=${R}`,
  threes: `testsrc2=${size}:r=8:d=5,fps=${R}`,
  // A small grey sprite stepping 2 px per drawing over a still background: localised motion.
  sprite: `${still(mandelbrot())}[bg];color=c=0x808080:s=10x10:r=${R}:d=5[fg];` +
    `[bg][fg]overlay=x='30+2*floor(n/2)':y=40:shortest=1`,
  // 1 px per frame across a detailed still: every frame moves a little.
  pan: `${still(mandelbrot('320x180'))},crop=${W}:${H}:x=n:y=45`,
  // Half a pixel per frame (panned at 2x, then downscaled).
  panHalf: `${still(mandelbrot('640x360'))},crop=${W * 2}:${H * 2}:x=n:y=90,scale=${W}:${H}`,
  // The same pan over a blurred copy: low-contrast change spread over the frame, no sharp edges.
  panSoft: `${still(mandelbrot('320x180'))},gblur=sigma=6,crop=${W}:${H}:x=n:y=45`,
  fade: `${still(`testsrc2=${size}:r=${R}`)},fade=t=in:st=0:d=4`,
  still: still(`testsrc2=${size}:r=${R}`),
  cuts: cutsContent(),
  // Subtle motion drawn on twos/threes: a soft (blurred) picture panning 1 px per drawing, and
  // a fade in drawn at 8 fps. Every new drawing changes little, and noise hides that change.
  panSoftTwos: `${still(mandelbrot('320x180'))},gblur=sigma=6,crop=${W}:${H}:x='floor(n/2)':y=45`,
  fadeThrees: `testsrc2=${size}:r=8,trim=end_frame=1,loop=loop=${N / 3 - 1}:size=1:start=0,setpts=N/8/TB,fade=t=in:st=0:d=4,fps=${R}`,
  // The same fade three times slower (only its first third is shown): each drawing brightens
  // the frame by ~1 luma level, about as much as x264 lets a fade's held frames drift.
  fadeSlowThrees: `testsrc2=${size}:r=8,trim=end_frame=1,loop=loop=${N / 3 - 1}:size=1:start=0,setpts=N/8/TB,fade=t=in:st=0:d=12,fps=${R}`,
};

/**
 * Noise added before encoding, so held frames of the content differ in the decoded clip. `noise`
 * is per-pixel temporal noise (a fresh draw every frame); `grain` is softer, spatially
 * correlated luma noise (a blurred noise layer averaged into the picture), like film grain.
 */
const DISTORTIONS = {
  noise: 'noise=alls=6:allf=t',
  grain: 'split[a][b];[b]noise=c0s=40:allf=t,gblur=sigma=1.2[g];[a][g]blend=all_mode=average',
};

/**
 * Eight 0.5 s shots, including cuts between two near-black shots, between two colours of equal
 * luma (only chroma changes), and to a similar frame of the same test pattern.
 */
function cutsContent() {
  const shot = (source) => still(source, 12);
  const colour = (hex) => shot(`color=c=0x${hex}:${size}:r=${R}`);
  const shots = [
    shot(`testsrc2=${size}:r=${R}`),
    shot(`smptebars=${size}:r=${R}`),
    shot(mandelbrot()),
    colour('181818'),
    colour('202020'),
    colour('C04040'), // decodes to luma 102 …
    colour('2875C8'), // … and so does this blue: only chroma changes
    shot(`testsrc2=${size}:r=${R},trim=start_frame=2`),
  ];
  const labels = shots.map((_, i) => `[s${i}]`);
  return `${shots.map((s, i) => `${s}${labels[i]}`).join(';')};${labels.join('')}concat=n=${shots.length}:v=1:a=0`;
}

const lossy = (crf) => ({ label: `crf${crf}`, args: ['-c:v', 'libx264', '-crf', String(crf), '-pix_fmt', 'yuv420p'] });
const LOSSLESS = { label: 'lossless', args: ['-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv444p'] };

const clip = (content, encoding, kind, distort) => ({
  name: `${content}-${encoding.label}${distort ? '-noise' : ''}`,
  kind,
  content: CONTENT[content],
  distort,
  encoding,
});

/** Every clip the bench runs; the tests pick some by name. */
export const CLIP_SPECS = [
  ...['twos', 'threes'].flatMap((c) => [LOSSLESS, lossy(18), lossy(23), lossy(28)].map((e) => clip(c, e, 'animation'))),
  clip('sprite', lossy(23), 'animation'),
  clip('sprite', lossy(28), 'animation'),
  clip('pan', lossy(23), 'pan'),
  clip('panHalf', lossy(23), 'pan'),
  clip('panSoft', lossy(23), 'pan'),
  clip('fade', lossy(23), 'fade'),
  clip('still', lossy(23), 'static-noise', 'noise=alls=6:allf=t'),
  // Heavy temporal grain: where `near` is expected to stop calling a static shot held.
  { ...clip('still', lossy(23), 'static-noise', 'noise=alls=16:allf=t'), name: 'still-crf23-grain' },
  clip('cuts', lossy(23), 'cuts'),
  // Noisy lossy animation (held on twos/threes under temporal noise or grain, x264 crf 24–28):
  // held frames differ by the noise, new drawings by little.
  ...NOISY_ANIMATION(),
];

function NOISY_ANIMATION() {
  const noisy = (content, crf, distortion) => ({
    name: `${content}-crf${crf}-${distortion}`, kind: 'noisy-animation', content: CONTENT[content],
    distort: DISTORTIONS[distortion], encoding: lossy(crf),
  });
  return [
    noisy('twos', 24, 'noise'), noisy('twos', 28, 'grain'), noisy('threes', 26, 'noise'), noisy('threes', 26, 'grain'),
    noisy('panSoftTwos', 24, 'noise'), noisy('panSoftTwos', 28, 'grain'), noisy('fadeThrees', 26, 'noise'), noisy('fadeThrees', 24, 'grain'),
    noisy('fadeSlowThrees', 26, 'noise'), noisy('fadeSlowThrees', 24, 'grain'),
  ];
}

export function clipSpec(name) {
  const spec = CLIP_SPECS.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown clip "${name}"; known: ${CLIP_SPECS.map((s) => s.name).join(', ')}`);
  return spec;
}

const RAW_OUT = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-vsync', 'passthrough', '-'];

function splitFrames(buffer, what) {
  const bytes = W * H * 3;
  if (buffer.length !== bytes * N) throw new Error(`${what}: expected ${N} frames of ${W}x${H}, got ${buffer.length / bytes}`);
  const data = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  return Array.from({ length: N }, (_, i) => data.subarray(i * bytes, (i + 1) * bytes));
}

/** held[i] is true when content frame i equals content frame i - 1 bit for bit (before noise and codec). */
export async function groundTruth(spec) {
  const { stdout } = await runFfmpeg(['-f', 'lavfi', '-i', spec.content, '-frames:v', String(N), ...RAW_OUT]);
  const frames = splitFrames(stdout, `${spec.name} content`);
  return frames.map((f, i) => i > 0 && Buffer.compare(f, frames[i - 1]) === 0);
}

/** Encodes the clip into `dir` and returns the file path. */
export async function encodeClip(spec, dir) {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${spec.name}.mkv`);
  const vf = spec.distort ? ['-vf', spec.distort] : [];
  // One encoder thread keeps x264's decisions, and so the expected numbers, reproducible.
  await runFfmpeg(['-f', 'lavfi', '-i', spec.content, '-frames:v', String(N), ...vf, ...spec.encoding.args,
    '-threads', '1', '-vsync', 'passthrough', '-y', file]);
  return file;
}

/** Decodes to rgb24 frames through a pipe, the way the real video source does. */
export async function decodeClip(file) {
  const { stdout } = await runFfmpeg(['-i', file, ...RAW_OUT]);
  return splitFrames(stdout, file);
}

/** ffmpeg's own mpdecimate (default settings) on the encoded clip: dropped[i] per decoded frame. */
export async function mpdecimateDrops(file) {
  const { stderr } = await runFfmpeg(['-loglevel', 'debug', '-i', file, '-vf', 'mpdecimate', '-f', 'null', '-']);
  const drops = [...stderr.matchAll(/mpdecimate[^\]]*\][^\n]*?\b(keep|drop) pts:/g)].map((m) => m[1] === 'drop');
  if (drops.length !== N) throw new Error(`mpdecimate on ${file}: parsed ${drops.length} decisions, expected ${N}`);
  return drops;
}

/** Everything a test or the bench needs about one clip. */
export async function loadClip(spec, dir) {
  const file = await encodeClip(spec, dir);
  const [held, frames] = await Promise.all([groundTruth(spec), decodeClip(file)]);
  // Stills and noise clips are held by construction even though the noise makes every frame differ.
  return { spec, file, frames, held, width: W, height: H, fps: R };
}
