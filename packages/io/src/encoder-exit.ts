import type { ExitStatus } from './child-process.js';

export interface EncoderExit {
  /** The exit status of each ffmpeg stage, or undefined when it had not exited yet. */
  readonly status: ExitStatus | undefined;
  /** True when upframe killed it itself (abort, cleanup): then its death explains nothing. */
  readonly killedByUs: boolean;
}

export interface EncoderFailure {
  /** What the sink was doing: "ffmpeg stopped accepting frames at frame 12". */
  readonly what: string;
  readonly output: string;
  readonly stages: readonly EncoderExit[];
  /** ffmpeg's stderr tail, all stages. */
  readonly stderr: string;
  /** The error seen on our side (usually "write EPIPE"), used only when ffmpeg said nothing. */
  readonly cause?: unknown;
}

/**
 * The message for an encoder that stopped early. Our side only sees "write EPIPE" when ffmpeg
 * dies, which says nothing; ffmpeg's exit status says whether it was killed (the kernel's OOM
 * killer sends SIGKILL) or gave up with an error of its own.
 */
export function encoderFailureMessage(failure: EncoderFailure): string {
  const { what, output, stderr } = failure;
  const exits = failure.stages.filter((s) => !s.killedByUs).map((s) => s.status).filter((s): s is ExitStatus => s !== undefined);
  // SIGPIPE is what the first of two piped stages gets when the second died: a symptom, not a cause.
  const killed = exits.find((s) => s.signal !== null && s.signal !== 'SIGPIPE');
  if (killed) {
    const tail = stderr ? `\nffmpeg's last words:\n${stderr}` : '';
    return `ffmpeg was killed by ${killed.signal} while encoding ${output} (out of memory, or killed by another process?); ${what}${tail}`;
  }
  const spawnFailed = exits.find((s) => s.spawnError);
  if (spawnFailed) return `ffmpeg could not be started to encode ${output}: ${spawnFailed.spawnError!.message}`;
  const failed = exits.find((s) => s.code !== null && s.code !== 0);
  if (failed) return `ffmpeg exited with code ${failed.code} while encoding ${output}; ${what}:\n${stderr || 'ffmpeg printed no error message'}`;
  const fallback = stderr || (failure.cause instanceof Error ? failure.cause.message : undefined) || 'no message';
  return `${what} (${output}):\n${fallback}`;
}
