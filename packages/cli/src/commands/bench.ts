import { Command } from 'commander';
import { UpframeError } from '@upframe/core';
import { DEFAULT_MODEL_ID } from '@upframe/models';
import { benchAction, type BenchFlags } from '../bench/bench-action.js';
import { setupContainer } from '../container-setup.js';
import { addPluginOptions, parseDevice, parsePositiveInt, parseSize } from '../option-parsers.js';
import type { CliContext } from './context.js';

function parseList(raw: string): string[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UpframeError('USAGE', `--backends needs a comma-separated list of names, got "${raw}"`);
  return names;
}

function parseWarmup(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UpframeError('USAGE', `--warmup must be a whole number of frames (0 or more), got "${raw}"`);
  return n;
}

export function benchCommand(ctx: CliContext): Command {
  return addPluginOptions(new Command('bench')
    .description('compare backends on the same model and frames: speed, memory and output parity (see docs/benchmarks.md)')
    .option('--backends <names>', 'comma-separated backends to run, in order; the first is the parity reference (default: every registered one)', parseList)
    .option('--model <id>', 'catalog model id or model path', DEFAULT_MODEL_ID)
    .option('--size <WxH>', 'frame size; frames are crops of the model packages\' pictures resized to it', parseSize, { width: 128, height: 128 })
    .option('--frames <n>', 'timed frames per backend', parsePositiveInt('--frames'), 20)
    .option('--batch <n>', 'frames per backend call', parsePositiveInt('--batch'), 1)
    .option('--warmup <n>', 'untimed frames before timing', parseWarmup, 2)
    .option('--device <device>', 'auto | cpu | cuda | cuda:N', parseDevice, 'auto')
    .option('--json', 'print JSON (PSNR is null where outputs are identical, i.e. infinite)', false)
    .option('--markdown', 'print a markdown table', false)
    .option('--chart <file.svg>', 'also write an SVG bar chart of fps per backend')

    .addHelpText('after', '\nBackends run one after another in this process; peak RSS is process-wide.\nExample:\n  upframe bench --backends onnx,tfjs --size 256x144 --frames 20 --chart bench.svg\n'))
    .action(async (flags: BenchFlags) => {
      const logger = ctx.logger({ json: flags.json });
      await benchAction(flags, { stdout: ctx.stdout, stderr: ctx.stderr, signal: ctx.signal, logger, setup: (plugins, log) => setupContainer({ plugins, logger: log, config: flags.config !== false, notice: ctx.stderr }) });
    });
}
