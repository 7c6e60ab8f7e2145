import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { createConsoleLogger, silentLogger } from '@upframe/core';
import { backendsCommand } from './commands/backends.js';
import type { CliContext } from './commands/context.js';
import { demoCommand } from './commands/demo.js';
import { modelsCommand } from './commands/models.js';
import { upscaleCommand } from './commands/upscale.js';
import { validateCommand } from './commands/validate.js';
import { benchCommand } from './commands/bench.js';
import { EXIT } from './exit-codes.js';
import { exitCodeFor, formatError } from './print-error.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('upframe')
    .description('Upscale video, images and frame folders with super-resolution neural networks.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride();
  for (const cmd of [upscaleCommand(ctx), demoCommand(ctx), modelsCommand(ctx), backendsCommand(ctx), validateCommand(ctx), benchCommand(ctx)]) {
    program.addCommand(cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) }));
  }
  program.addHelpText('after', '\nExamples:\n  upframe demo\n  upframe upscale clip.mp4 -o clip-x2.mp4\n  upframe upscale photo.png -o photo-x4.png --model esrgan-slim-x4\n  upframe upscale frames/ -o frames-x2/ --format auto\n  upframe backends\n');
  return program;
}

/** Entry point: parse, run, map errors to exit codes. Ctrl-C aborts the run and exits 130. */
export async function main(argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write('\nupframe: stopping (Ctrl-C again to force)…\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const ctx: CliContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    logger: (flags) => (flags.quiet || flags.json ? silentLogger : createConsoleLogger(process.env.UPFRAME_LOG === 'debug' ? 'debug' : 'warn')),
  };
  try {
    await buildProgram(ctx).parseAsync([...argv]);
    process.exitCode = EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; usage mistakes exit 2.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      process.stderr.write(formatError(error));
      process.exitCode = controller.signal.aborted ? EXIT.interrupted : exitCodeFor(error);
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
