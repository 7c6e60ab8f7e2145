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
import { pluginCommand } from './commands/plugin.js';
import { clusterCommand } from './commands/cluster.js';
import { workerCommand } from './commands/worker.js';
import { EXIT } from './exit-codes.js';
import { createJsonEventLogger } from './progress.js';
import { exitCodeFor, formatError } from './print-error.js';
import { currentActivity } from './activity.js';
import { discardLiveWorkspacesSync } from '@upframe/io';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('upframe')
    .description('Upscale video, images and frame folders with super-resolution neural networks.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride();
  for (const cmd of [upscaleCommand(ctx), demoCommand(ctx), modelsCommand(ctx), backendsCommand(ctx), validateCommand(ctx), benchCommand(ctx), pluginCommand(ctx), clusterCommand(ctx), workerCommand(ctx)]) {
    program.addCommand(cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) }));
  }
  program.addHelpText('after', '\nExamples:\n  upframe demo\n  upframe upscale clip.mp4 -o clip-x2.mp4\n  upframe upscale photo.png -o photo-x4.png --model esrgan-slim-x4\n  upframe upscale frames/ -o frames-x2/\n  upframe upscale photo.jpg -o photo-x2.jpg --quality 90\n  upframe backends\n  upframe worker --redis redis://127.0.0.1:6379 --root /srv/media\n  upframe cluster submit /srv/media/film.mkv -o /srv/media/film-x2.mkv --redis redis://127.0.0.1:6379\n');
  return program;
}

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: EXIT.hangup, SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated };

/**
 * Entry point: parse, run, map errors to exit codes. SIGINT, SIGTERM and SIGHUP (terminal or ssh
 * closed) abort the run cleanly and exit 128 + the signal's number; a second one forces the exit
 * at once, still removing this run's temporary files.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  let received: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      discardLiveWorkspacesSync();
      process.exit(SIGNAL_EXIT[received]);
    }
    received = signal;
    // After SIGHUP the terminal is gone and writing to it can fail; the exit code still tells.
    process.stderr.write(`\nupframe: stopping on ${signal} (again to force)…\n`, () => {});
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  // A command whose promise never settles (a plugin's register() that never resolves, say) lets
  // the event loop drain and Node exit: that must read as a failure, never as success.
  let settled = false;
  const onExit = () => {
    if (settled || received) return;
    process.stderr.write(`upframe: error: the command stopped without finishing while ${currentActivity()} (a promise that never settles?) [INTERNAL]\n`);
    process.exitCode = EXIT.failed;
  };
  process.stderr.on('error', () => {});
  for (const signal of Object.keys(SIGNAL_EXIT)) process.on(signal, onSignal);
  process.on('exit', onExit);
  const ctx: CliContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    // Info carries the one-line notices a person should see (which backend `auto` chose); --quiet silences them,
    // and --json turns warnings into events on stdout as they happen.
    logger: (flags) => (flags.json ? createJsonEventLogger(process.stdout) : flags.quiet ? silentLogger : createConsoleLogger(process.env.UPFRAME_LOG === 'debug' ? 'debug' : 'info')),
  };
  try {
    await buildProgram(ctx).parseAsync([...argv]);
    process.exitCode = EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; usage mistakes exit 2.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      process.stderr.write(formatError(error), () => {});
      process.exitCode = received ? SIGNAL_EXIT[received] : exitCodeFor(error);
    }
  } finally {
    settled = true;
    for (const signal of Object.keys(SIGNAL_EXIT)) process.off(signal, onSignal);
  }
}
