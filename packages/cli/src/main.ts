import 'reflect-metadata';
import { CommanderError, type Command } from 'commander';
import { createConsoleLogger, silentLogger } from '@upframe/core';
import type { CliContext } from './commands/context.js';
import { EXIT } from './exit-codes.js';
import { createJsonEventLogger } from './progress.js';
import { exitCodeFor, formatError } from './print-error.js';
import { currentActivity } from './activity.js';
import { addCommand, rootCommand } from './program-root.js';


/**
 * Each command's module, imported only when that command runs: importing all of them (the ML
 * runtimes' wrappers, sharp, BullMQ…) costs ~0.2 s of every start, which `cluster wait`, `models`
 * or an image upscale should not pay for the others.
 */
const COMMANDS: Readonly<Record<string, (ctx: CliContext) => Promise<Command>>> = {
  upscale: async (ctx) => (await import('./commands/upscale.js')).upscaleCommand(ctx),
  demo: async (ctx) => (await import('./commands/demo.js')).demoCommand(ctx),
  models: async (ctx) => (await import('./commands/models.js')).modelsCommand(ctx),
  backends: async (ctx) => (await import('./commands/backends.js')).backendsCommand(ctx),
  validate: async (ctx) => (await import('./commands/validate.js')).validateCommand(ctx),
  bench: async (ctx) => (await import('./commands/bench.js')).benchCommand(ctx),
  plugin: async (ctx) => (await import('./commands/plugin.js')).pluginCommand(ctx),
  cluster: async (ctx) => (await import('./commands/cluster.js')).clusterCommand(ctx),
  worker: async (ctx) => (await import('./commands/worker.js')).workerCommand(ctx),
};

/** The program for these arguments: only the named command when the first argument names one, else all of them. */
async function programFor(argv: readonly string[], ctx: CliContext): Promise<Command> {
  const name = argv[2];
  const load = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) return (await import('./program.js')).buildProgram(ctx);
  const program = rootCommand(ctx);
  addCommand(program, await load(ctx), ctx);
  return program;
}

/** Removes this run's temporary files on a forced exit; io is loaded only by the commands that make them. */
async function discardWorkspaces(): Promise<void> {
  const io = await import('@upframe/io').catch(() => undefined);
  io?.discardLiveWorkspacesSync();
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
      const code = SIGNAL_EXIT[received];
      void discardWorkspaces().finally(() => process.exit(code));
      return;
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
    await (await programFor(argv, ctx)).parseAsync([...argv]);
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
