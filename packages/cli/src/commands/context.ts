import type { Logger } from '@upframe/core';

/** What every command gets from main: streams, the Ctrl-C signal and a logger factory. */
export interface CliContext {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly signal: AbortSignal;
  logger(flags: { quiet?: boolean; json?: boolean }): Logger;
}
