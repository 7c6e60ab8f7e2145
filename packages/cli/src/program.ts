import type { Command } from 'commander';
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
import { addCommand, rootCommand } from './program-root.js';

/** The whole CLI: every command (for help, version and anything main cannot route to one command). */
export function buildProgram(ctx: CliContext): Command {
  const program = rootCommand(ctx);
  for (const cmd of [upscaleCommand(ctx), demoCommand(ctx), modelsCommand(ctx), backendsCommand(ctx), validateCommand(ctx), benchCommand(ctx), pluginCommand(ctx), clusterCommand(ctx), workerCommand(ctx)]) addCommand(program, cmd, ctx);
  return program;
}
