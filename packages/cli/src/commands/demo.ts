import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { UpframeError } from '@upframe/core';
import type { CliContext } from './context.js';
import { givenFlags, type RunFlags } from '../run-options.js';
import { addRunOptions, executeRun } from './upscale.js';

/** The bundled sample: 4 s, 160×96, H.264 + AAC + a subtitle track, a pan then a held shot. */
export const DEMO_CLIP = fileURLToPath(new URL('../../assets/demo.mp4', import.meta.url));

export function demoCommand(ctx: CliContext): Command {
  return addRunOptions(
    new Command('demo')
      .description('upscale the bundled sample clip with the defaults and say where the result is')
      .option('-o, --output <path>', 'where to write the result', 'upframe-demo.mp4'),
  ).action(async (options: { output: string }, cmd: Command) => {
    if (!existsSync(DEMO_CLIP)) throw new UpframeError('INPUT_NOT_FOUND', `the demo clip is missing at ${DEMO_CLIP}`, { file: DEMO_CLIP, hint: 'Reinstall with `npm ci`.' });
    const output = resolve(options.output);
    const flags: RunFlags = { ...givenFlags(cmd), overwrite: true };
    // The demo owns its output name, so re-running it replaces the previous result.
    const settings = await executeRun(ctx, DEMO_CLIP, output, flags, ctx.logger(flags));
    if (!settings.json) ctx.stderr.write(`demo: input ${DEMO_CLIP}\ndemo: result ${output} (play it, or compare with the input side by side)\n`);
  });
}
