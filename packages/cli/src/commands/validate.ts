import { Command } from 'commander';
import { validateFrameSequence } from '@upframe/io';
import type { CliContext } from './context.js';

export function validateCommand(ctx: CliContext): Command {
  return new Command('validate')
    .description('check a directory of numbered frames before a run: numbering, sizes, readability')
    .argument('<frames-dir>', 'directory of numbered images')
    .option('--json', 'print the result as JSON', false)
    .action(async (dir: string, flags: { json: boolean }) => {
      const result = await validateFrameSequence(dir);
      if (flags.json) ctx.stdout.write(JSON.stringify({ ok: true, ...result }) + '\n');
      else ctx.stdout.write(`${dir}: ${result.count} frames, ${result.width}x${result.height}, numbered ${result.first}..${result.last}: OK\n`);
    });
}
