import { isUpframeError } from '@upframe/core';
import { EXIT } from './exit-codes.js';

/** Mistakes in the command line: the run never started. */
const USAGE_CODES = ['USAGE', 'UNKNOWN_NAME', 'OUTPUT_EXISTS', 'OUTPUT_SAME_AS_INPUT', 'INPUT_NOT_FOUND', 'MODEL_NOT_FOUND', 'RESUME_MISMATCH'] as const;

/**
 * A stage that refused what it was asked before any frame went through (a sink told to write
 * transparency into MP4 or JPEG, an animation into one image): the run never started either.
 */
function refusedBeforeAnyFrame(error: unknown): boolean {
  if (!isUpframeError(error, 'STAGE_FAILED') || (error as { frameIndex?: number }).frameIndex !== undefined) return false;
  return isUpframeError(error.cause, 'USAGE');
}

/** Exit code for an error: usage mistakes are 2, cancellation 130, everything else 1. */
export function exitCodeFor(error: unknown): number {
  // A resume refused by the sink arrives wrapped in the stage error of the run that never started.
  const inner = isUpframeError(error, 'STAGE_FAILED') ? (error as { cause?: unknown }).cause : undefined;
  if (USAGE_CODES.some((code) => isUpframeError(error, code) || (code === 'RESUME_MISMATCH' && isUpframeError(inner, code))) || refusedBeforeAnyFrame(error)) return EXIT.usage;
  if (isUpframeError(error, 'CANCELLED')) return EXIT.interrupted;
  return EXIT.failed;
}

/** The innermost hint along the cause chain, so the advice closest to the failure wins. */
export function findHint(error: unknown): string | undefined {
  let hint: string | undefined;
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (isUpframeError(e) && e.hint) hint = e.hint;
  return hint;
}

/** `upframe: error: <what and why>` plus a hint, for the person at the terminal. */
export function formatError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = isUpframeError(error) ? ` [${error.code}]` : '';
  const hint = findHint(error) ?? (isUpframeError(error, 'CANCELLED') ? 'The output was not written; nothing was changed.' : 'Run `upframe --help` for usage, or `upframe backends` to check this machine.');
  const lines = [`upframe: error: ${message}${code}`];
  if (process.env.UPFRAME_DEBUG && error instanceof Error && error.stack) lines.push(error.stack);
  lines.push(`hint: ${hint}`);
  return lines.join('\n') + '\n';
}
