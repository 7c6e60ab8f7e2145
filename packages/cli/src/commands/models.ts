import { Command } from 'commander';
import { TOKENS, createMemoryLogger } from '@upframe/core';
import { listModels } from '@upframe/models';
import { setupContainer } from '../container-setup.js';
import { addPluginOptions } from '../option-parsers.js';
import { table } from '../table.js';
import type { CliContext } from './context.js';

export function modelsCommand(ctx: CliContext): Command {
  return addPluginOptions(new Command('models')
    .description('list the model catalog: id, scale, size, which backends can run it, installed or not')
    .option('--json', 'print as JSON', false))
    .action(async (flags: { json: boolean; plugin: string[]; config?: boolean }) => {
      const { container } = await setupContainer({ plugins: flags.plugin, logger: createMemoryLogger(), config: flags.config !== false, notice: ctx.stderr });
      const registry = container.resolve(TOKENS.Backends);
      const backends = registry.list().map((e) => ({ name: e.name, formats: e.create(container, { model: '', device: 'cpu' }).capabilities().modelFormats }));
      const all = listModels();
      // Large optional families are listed only once their package is installed.
      const missing = [...new Set(all.filter((m) => !m.installed).map((m) => m.packageName))];
      const rows = all.filter((m) => m.installed).map((m) => ({
        id: m.id,
        scale: m.scale,
        sizeMB: m.sizeBytes === undefined ? null : Number((m.sizeBytes / 1e6).toFixed(1)),
        backends: backends.filter((b) => b.formats.includes(m.format)).map((b) => b.name),
        installed: m.installed,
        package: m.packageName,
      }));
      if (flags.json) {
        ctx.stdout.write(JSON.stringify({ models: rows, notInstalled: missing }, null, 2) + '\n');
        return;
      }
      ctx.stdout.write(
        table(
          ['id', 'scale', 'size', 'backends', 'installed'],
          rows.map((r) => [r.id, `x${r.scale}`, r.sizeMB === null ? '-' : `${r.sizeMB} MB`, r.backends.join(', '), 'yes']),
        ),
      );
      for (const pkg of missing) ctx.stdout.write(`more models: npm i ${pkg}\n`);
    });
}
