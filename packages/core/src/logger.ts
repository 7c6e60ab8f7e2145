/** Minimal logger every stage receives through the `LOGGER` token. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A logger writing to stderr at or above `level`. */
export function createConsoleLogger(level: LogLevel = 'info'): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const at = (l: LogLevel) => (message: string) => {
    if (LOG_LEVELS.indexOf(l) >= rank) process.stderr.write(`${l === 'info' ? '' : `${l}: `}${message}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that remembers every message; for tests and for collecting warnings into the report. */
export function createMemoryLogger(): Logger & { readonly messages: { level: LogLevel; message: string }[] } {
  const messages: { level: LogLevel; message: string }[] = [];
  return {
    messages,
    debug: (message) => messages.push({ level: 'debug', message }),
    info: (message) => messages.push({ level: 'info', message }),
    warn: (message) => messages.push({ level: 'warn', message }),
    error: (message) => messages.push({ level: 'error', message }),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
