import { existsSync } from 'node:fs';

/**
 * Whether this machine could have an NVIDIA GPU at all: the kernel driver's /proc folder on Linux.
 * Without it, running on the CPU is the normal case, not something to warn about. Windows has no
 * /proc, so there only trying a GPU session tells; other platforms have no CUDA.
 */
export function nvidiaDriverPresent(platform: NodeJS.Platform = process.platform, exists: (path: string) => boolean = existsSync): boolean {
  if (platform === 'win32') return true;
  return platform === 'linux' && exists('/proc/driver/nvidia');
}
