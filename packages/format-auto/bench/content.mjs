// Generated content classes shared by the tests and the benchmark: each returns a short
// sequence of upscaled-frame-sized images. Everything is deterministic (seeded), and the only
// inputs from disk are the real photographs shipped with @upscalerjs/esrgan-*.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { addNoise, alphaRamp, canvas, circle, rect, rng } from './draw.mjs';

export const CONTENT_CLASSES = ['flat', 'synthetic', 'photo', 'noisy', 'alpha', 'hbd'];

const DESCRIPTIONS = {
  flat: 'flat animation: cel-style flat shapes with outlines and anti-aliased edges, moving',
  synthetic: 'ffmpeg lavfi testsrc2 (synthetic graphics, flat colour + gradients)',
  photo: 'photographic: ESRGAN sample outputs shipped in @upscalerjs/esrgan-*, panned',
  noisy: 'photographic + Gaussian noise (sigma 6): film grain / sensor noise',
  alpha: 'flat shapes on a transparent canvas with an alpha ramp; hidden RGB under alpha 0',
  hbd: 'high-bit-depth source: smooth 16-bit gradients written as 16-bit PNG, read back as 8-bit',
};

/** @returns {Promise<{ name: string, description: string, frames: {width:number,height:number,channels:number,data:Uint8Array}[], sourceBitDepth?: number }>} */
export async function generateClass(name, { width = 512, height = 288, frames = 12 } = {}) {
  const make = { flat: flatFrames, synthetic: testsrc2Frames, photo: photoFrames, noisy: noisyFrames, alpha: alphaFrames, hbd: hbdFrames }[name];
  if (!make) throw new Error(`unknown content class "${name}"; one of: ${CONTENT_CLASSES.join(', ')}`);
  const out = await make(width, height, frames);
  return { name, description: DESCRIPTIONS[name], sourceBitDepth: name === 'hbd' ? 16 : 8, frames: out };
}

/** One flat-animation frame; `t` moves the characters. `bg` lets the alpha class reuse it. */
export function flatFrame(width, height, t, bg = [118, 178, 232]) {
  const img = canvas(width, height, bg);
  const s = width / 512;
  rect(img, 0, height * 0.66, width, height * 0.34, [94, 158, 72, 255]);
  circle(img, width * 0.85, height * 0.2, 30 * s, [252, 220, 90, 255]);
  for (let k = 0; k < 4; k++) rect(img, (40 + 90 * k) * s, height * 0.66 - (60 + 25 * k) * s, 60 * s, (60 + 25 * k) * s, [160 - 20 * k, 120, 150, 255]);
  for (let k = 0; k < 3; k++) {
    const cx = ((60 + 150 * k + 7.3 * t * (k + 1)) * s) % width;
    const cy = height * 0.62 - 20 * s * Math.abs(Math.sin(t / 3 + k));
    circle(img, cx, cy, (26 + 6 * k) * s, [30, 24, 40, 255]);
    circle(img, cx, cy, (23 + 6 * k) * s, [240 - 60 * k, 140 + 40 * k, 110, 255]);
    circle(img, cx + 8 * s, cy - 6 * s, 5 * s, [255, 255, 255, 255]);
  }
  return img;
}

function flatFrames(width, height, frames) {
  return Array.from({ length: frames }, (_, t) => flatFrame(width, height, t));
}

function alphaFrames(width, height, frames) {
  return Array.from({ length: frames }, (_, t) => {
    // Transparent background whose RGB is not zero, as an upscaler that handles alpha separately leaves it.
    const img = flatFrame(width, height, t, [118, 178, 232, 0]);
    alphaRamp(img, width * 0.1 + t * 3, height * 0.08, width * 0.5, height * 0.18, [255, 240, 200]);
    circle(img, width * 0.5, height * 0.45, 40 * (width / 512), [80, 200, 255, 128]);
    return img;
  });
}

function toolPath(pkg) {
  return createRequire(import.meta.url)(pkg).path;
}

function testsrc2Frames(width, height, frames) {
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=25`, '-frames:v', String(frames), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  return new Promise((resolve, reject) => {
    const child = spawn(toolPath('@ffmpeg-installer/ffmpeg'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let err = '';
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg testsrc2 failed (${code}): ${err}`));
      const all = Buffer.concat(chunks);
      const size = width * height * 3;
      resolve(Array.from({ length: frames }, (_, i) => ({ width, height, channels: 3, data: new Uint8Array(all.subarray(i * size, (i + 1) * size)) })));
    });
  });
}

// The repo's node_modules holds the upscalerjs packages (dependencies of @upframe/models).
function findAsset(relative) {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find node_modules/${relative}`);
  }
}

export const PHOTO_ASSETS = ['esrgan-slim/assets/samples/4x/result.png', 'esrgan-medium/assets/samples/4x/result.png', 'esrgan-slim/assets/samples/3x/result.png', 'esrgan-medium/assets/samples/3x/result.png'];

async function photoFrames(width, height, frames) {
  const out = [];
  for (let i = 0; i < frames; i++) {
    const file = findAsset(`@upscalerjs/${PHOTO_ASSETS[i % PHOTO_ASSETS.length]}`);
    const side = Math.max(width, height) + 8 * frames;
    const top = Math.min(side - height, i * 8);
    const { data, info } = await sharp(file).removeAlpha().resize(side, side).extract({ left: i * 4, top, width, height }).raw().toBuffer({ resolveWithObject: true });
    out.push({ width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data) });
  }
  return out;
}

async function noisyFrames(width, height, frames) {
  return (await photoFrames(width, height, frames)).map((img, i) => addNoise(img, 6, 1000 + i));
}

async function hbdFrames(width, height, frames) {
  const out = [];
  for (let t = 0; t < frames; t++) {
    const deep = new Uint16Array(width * height * 3);
    const rand = rng(77 + t);
    const lights = Array.from({ length: 3 }, () => [rand() * width, rand() * height * 0.6]);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let glow = 0;
        for (const [lx, ly] of lights) glow += Math.exp(-((x - lx - 4 * t) ** 2 + (y - ly) ** 2) / (2 * (width / 5) ** 2));
        const v = y / height;
        const o = (y * width + x) * 3;
        deep[o] = Math.min(65535, 9000 + 20000 * v + 18000 * glow);
        deep[o + 1] = Math.min(65535, 14000 + 16000 * v + 15000 * glow);
        deep[o + 2] = Math.min(65535, 30000 + 9000 * (1 - v) + 8000 * glow);
      }
    }
    const png16 = await sharp(deep, { raw: { width, height, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
    const { data, info } = await sharp(png16).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    out.push({ width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data) });
  }
  return out;
}
