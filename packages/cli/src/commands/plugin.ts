import { isAbsolute, relative } from 'node:path';
import { Command, Option } from 'commander';
import { KIND_FLAG, PLUGIN_KINDS, type PluginKind } from '../scaffold/scaffold-names.js';
import { scaffoldPlugin } from '../scaffold/write-scaffold.js';
import type { CliContext } from './context.js';

/** `upframe plugin init`: the first step of a plugin author's path (docs/plugins.md). */
export function pluginCommand(ctx: CliContext): Command {
  const output = { writeOut: (s: string) => ctx.stdout.write(s), writeErr: (s: string) => ctx.stderr.write(s) };
  const init = new Command('init')
    .description('create a plugin package: src/index.ts with definePlugin, a test running @upframe/plugin-kit, README, tsconfig, package.json')
    .argument('<dir>', 'new or empty folder to create it in')
    .addOption(new Option('--kind <kind>', 'what the plugin adds').choices(PLUGIN_KINDS).makeOptionMandatory())
    .option('--name <package>', 'npm package name (default: the folder name); upframe-plugin-<x> registers <x>')
    .addHelpText('after', '\nExample:\n  upframe plugin init upframe-plugin-mine --kind backend\n')
    // main.ts only configures the commands it adds; a nested one needs its own, or commander exits the process.
    .exitOverride()
    .configureOutput(output)
    .action((dir: string, flags: { kind: PluginKind; name?: string }) => {
      const result = scaffoldPlugin({ dir, kind: flags.kind, name: flags.name });
      const where = relative(process.cwd(), result.dir) || '.';
      // A relative path without ./ would read as a package name to --plugin.
      const builtFile = `${isAbsolute(where) || where.startsWith('.') ? where : `./${where}`}/dist/index.js`;
      ctx.stdout.write(
        [
          `Created ${result.packageName} in ${where}: a ${result.kind} registered as "${result.stageName}" (${KIND_FLAG[result.kind]} ${result.stageName}).`,
          ...result.files.map((file) => `  ${file}`),
          '',
          'Next steps:',
          `  cd ${where}`,
          '  npm install',
          '  npm test        # the contract checks of @upframe/plugin-kit, one test per invariant',
          '  npm run build',
          `  then, in a project with ${result.packageName} installed (or --plugin ${builtFile}):`,
          `  ${result.usage}`,
          '',
        ].join('\n'),
      );
    });
  return new Command('plugin').description('tools for plugin authors (see docs/plugins.md)').addCommand(init);
}
