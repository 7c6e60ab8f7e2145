import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { CliContext } from './commands/context.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The `upframe` command itself, without its subcommands: name, version, help, error handling. */
export function rootCommand(ctx: CliContext): Command {
  const program = new Command('upframe')
    .description('Upscale video, images and frame folders with super-resolution neural networks.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride();
  program.addHelpText('after', '\nExamples:\n  upframe demo\n  upframe upscale clip.mp4 -o clip-x2.mp4\n  upframe upscale photo.png -o photo-x4.png --model esrgan-slim-x4\n  upframe upscale frames/ -o frames-x2/\n  upframe upscale photo.jpg -o photo-x2.jpg --quality 90\n  upframe backends\n  upframe worker --redis redis://127.0.0.1:6379 --root /srv/media\n  upframe cluster submit /srv/media/film.mkv -o /srv/media/film-x2.mkv --redis redis://127.0.0.1:6379\n');
  return program;
}

/** Adds a command with the root's error handling and output streams. */
export function addCommand(program: Command, cmd: Command, ctx: CliContext): void {
  program.addCommand(cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) }));
}
