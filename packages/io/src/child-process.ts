import { spawn, type ChildProcess } from 'node:child_process';
import { recordToolExit, type ToolRole } from './tool-cpu.js';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  readonly spawnError?: Error;
}

/** A spawned ffmpeg/ffprobe with its stderr tail kept for error messages. */
export interface RunningTool {
  readonly child: ChildProcess;
  /** Resolves once the process has exited and its pipes are closed. */
  readonly exited: Promise<ExitStatus>;
  /** The last lines of stderr, for messages. */
  stderrTail(maxLines?: number): string;
  /** True once `kill()` was called, so callers can tell our own kill from a crash. */
  readonly killed: boolean;
  /** SIGKILL the process (if still running) and wait until it is gone. */
  kill(): Promise<ExitStatus>;
}

const STDERR_KEEP = 64 * 1024;
const live = new Set<ChildProcess>();

/** Number of tool processes this module started that have not exited yet (for leak checks). */
export function liveToolProcesses(): number {
  return live.size;
}

export function startTool(
  path: string,
  args: readonly string[],
  stdio: { stdin?: 'pipe' | 'ignore'; stdout?: 'pipe' | 'ignore' } = {},
  role: ToolRole = 'other',
): RunningTool {
  const child = spawn(path, args, { stdio: [stdio.stdin ?? 'ignore', stdio.stdout ?? 'pipe', 'pipe'], windowsHide: true });
  live.add(child);
  let stderr = '';
  let killedByUs = false;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr += text;
    // Keep a bounded tail: a long decode of a damaged file can print megabytes of warnings.
    if (stderr.length > STDERR_KEEP * 2) stderr = stderr.slice(-STDERR_KEEP);
  });
  // Without listeners, EPIPE on a pipe to a process that died would crash the host process.
  child.stdin?.on('error', () => {});
  child.stdout?.on('error', () => {});

  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('error', (error) => {
      live.delete(child);
      resolve({ code: null, signal: null, spawnError: error });
    });
    // 'exit' comes right after the child is reaped, before other children's exits are seen.
    child.once('exit', () => recordToolExit(role));
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });

  return {
    child,
    exited,
    get killed() {
      return killedByUs;
    },
    stderrTail(maxLines = 15) {
      const lines = stderr.split(/\r?\n/).filter((l) => l.trim().length > 0);
      return lines.slice(-maxLines).join('\n');
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        killedByUs = true;
        child.kill('SIGKILL');
      }
      // Unread pipe data would otherwise keep 'close' from firing.
      child.stdout?.destroy();
      child.stdin?.destroy();
      return exited;
    },
  };
}

export interface ToolResult extends ExitStatus {
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a tool to completion, collecting stdout; kills it on abort or timeout. */
export async function runTool(
  path: string,
  args: readonly string[],
  options: { signal?: AbortSignal; timeoutMs?: number; role?: ToolRole } = {},
): Promise<ToolResult> {
  const tool = startTool(path, args, {}, options.role ?? 'setup');
  const chunks: Buffer[] = [];
  tool.child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const onAbort = () => void tool.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs ? setTimeout(onAbort, options.timeoutMs) : undefined;
  try {
    const status = await tool.exited;
    return { ...status, stdout: Buffer.concat(chunks).toString('utf8'), stderr: tool.stderrTail(40) };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
