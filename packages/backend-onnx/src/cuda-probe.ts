import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CudaEnvironment } from './execution-providers.js';

/** The file-system calls the probe makes; tests pass fakes. */
export interface ProbeIo {
  readdir(path: string): string[] | undefined;
  exists(path: string): boolean;
  /** Root folder of the onnxruntime-node package, without loading its addon. */
  ortRoot(): string | undefined;
}

const require = createRequire(import.meta.url);

export const nodeProbeIo: ProbeIo = {
  readdir: (path) => {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
  exists: existsSync,
  ortRoot: () => {
    try {
      return dirname(require.resolve('onnxruntime-node/package.json'));
    } catch {
      return undefined;
    }
  },
};

/**
 * Looks at onnxruntime-node's native folder and the NVIDIA driver's /proc entries: a few
 * directory reads, no native code loaded, no processes spawned.
 */
export function probeCudaEnvironment(io: ProbeIo = nodeProbeIo, platform = process.platform, arch = process.arch): CudaEnvironment {
  const root = io.ortRoot();
  const napi = root ? (io.readdir(join(root, 'bin')) ?? []).filter((d) => d.startsWith('napi-v')).sort().reverse() : [];
  const binDir = root && napi.map((d) => join(root, 'bin', d, platform, arch)).find((d) => io.exists(d));
  const gpus = io.readdir('/proc/driver/nvidia/gpus');
  return {
    platform,
    binDir,
    binFiles: binDir ? (io.readdir(binDir) ?? []) : [],
    // Windows has no /proc to look at; there, session creation is what tells.
    driverLoaded: platform === 'win32' ? true : io.exists('/proc/driver/nvidia/version'),
    gpuCount: gpus?.length,
  };
}
