import { execFile } from 'node:child_process';

/** Runs a program and resolves to its stdout; rejects on failure or after `timeoutMs`. Tests pass fakes. */
export type CommandRunner = (command: string, args: readonly string[], timeoutMs: number) => Promise<string>;

export const execFileRunner: CommandRunner = (command, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], { encoding: 'utf8', timeout: timeoutMs, windowsHide: true }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });

/** A hung driver must not hold up the run: without an answer the planner falls back to RAM. */
export const NVIDIA_SMI_TIMEOUT_MS = 5000;
/** Fraction of free VRAM a run plans to use: the CUDA context, cuDNN workspaces and the arena's slack need the rest. */
export const VRAM_FRACTION = 0.7;
/** Batch cap on CUDA: larger batches keep the GPU busy; 8 is the usual starting point (not measured here: no GPU). */
export const GPU_BATCH_CAP = 8;

/**
 * What `nvidia-smi -i` must be given for CUDA ordinal `ordinal`. CUDA numbers only the GPUs in
 * CUDA_VISIBLE_DEVICES while nvidia-smi sees them all, so `cuda:0` under `CUDA_VISIBLE_DEVICES=2,3`
 * is nvidia-smi's GPU 2 (an entry may also be a UUID, which `-i` takes as well).
 */
export function nvidiaSmiTarget(ordinal: number, env: NodeJS.ProcessEnv = process.env): string {
  const visible = env.CUDA_VISIBLE_DEVICES?.split(',').map((s) => s.trim()).filter(Boolean);
  return visible?.[ordinal] ?? String(ordinal);
}

/** Free MiB from `--query-gpu=memory.free --format=csv,noheader,nounits` output (first line), if it is a number. */
export function parseFreeMiB(stdout: string): number | undefined {
  const first = stdout.trim().split('\n')[0]?.trim() ?? '';
  if (!/^\d+(\.\d+)?$/.test(first)) return undefined;
  const mib = Number.parseFloat(first);
  return mib > 0 ? mib : undefined;
}

export interface VramBudget {
  readonly bytes: number;
  readonly detail: string;
}

/**
 * The memory budget for a run on `device` (`cuda:N`): {@link VRAM_FRACTION} of the GPU's free
 * memory as nvidia-smi reports it. `undefined` for other devices, or when nvidia-smi is
 * missing, fails, times out or prints something else: the planner then uses system RAM.
 */
export async function probeVramBudget(
  device: string,
  options: { run?: CommandRunner; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<VramBudget | undefined> {
  const match = /^cuda(?::(\d+))?$/.exec(device);
  if (!match) return undefined;
  const target = nvidiaSmiTarget(Number(match[1] ?? 0), options.env);
  let stdout: string;
  try {
    stdout = await (options.run ?? execFileRunner)('nvidia-smi', ['--query-gpu=memory.free', '--format=csv,noheader,nounits', '-i', target], options.timeoutMs ?? NVIDIA_SMI_TIMEOUT_MS);
  } catch {
    return undefined;
  }
  const freeMiB = parseFreeMiB(stdout);
  if (freeMiB === undefined) return undefined;
  const bytes = Math.floor(freeMiB * 1024 * 1024 * VRAM_FRACTION);
  return { bytes, detail: `${Math.round(freeMiB)} MiB free on GPU ${target} (nvidia-smi), planning ${Math.round(bytes / (1024 * 1024))} MiB` };
}
