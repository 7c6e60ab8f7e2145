import { Command } from 'commander';
import { TOKENS, createMemoryLogger } from '@upframe/core';
import { listModels } from '@upframe/models';
import { ncnnModelDirs, ncnnParamGeometry, scanNcnnModels, type NcnnProfile } from '@upframe/model-ncnn';
import { setupContainer } from '../container-setup.js';
import { addPluginOptions } from '../option-parsers.js';
import { table } from '../table.js';
import type { CliContext } from './context.js';

/** FLOPs per input pixel from the `.param`'s shape pass (no `.bin` read); null when the graph does not import. */
function flopsPerPixel(paramFile: string, profile: NcnnProfile): number | null {
  try {
    return Math.round(ncnnParamGeometry(paramFile, profile).flopsPerPixel);
  } catch {
    return null;
  }
}

const formatFlops = (f: number | null): string => (f === null ? '-' : f >= 1e6 ? `${(f / 1e6).toFixed(2)} M` : `${(f / 1e3).toFixed(1)} k`);

export function modelsCommand(ctx: CliContext): Command {
  return addPluginOptions(new Command('models')
    .description('list the model catalog and the ncnn models in the model folders: id, scale, tile-safety, FLOPs per input pixel, size, which backends can run it')
    .option('--json', 'print as JSON', false))
    .action(async (flags: { json: boolean; plugin: string[]; config?: boolean }) => {
      const { container, modelDirs: configDirs } = await setupContainer({ plugins: flags.plugin, logger: createMemoryLogger(), config: flags.config !== false, notice: ctx.stderr });
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
      const modelDirs = ncnnModelDirs(configDirs);
      const ncnn = scanNcnnModels(modelDirs).map(({ profile, paramFile, sizeBytes }) => ({
        id: profile.id,
        family: profile.family,
        scale: profile.scale,
        denoise: profile.denoise,
        tileSafe: profile.tileSafe,
        flopsPerPixel: flopsPerPixel(paramFile, profile),
        sizeMB: Number((sizeBytes / 1e6).toFixed(1)),
        backends: backends.filter((b) => b.formats.includes('ncnn')).map((b) => b.name),
        licence: profile.licence,
        file: paramFile,
      }));
      if (flags.json) {
        ctx.stdout.write(JSON.stringify({ models: rows, notInstalled: missing, ncnn, modelDirs }, null, 2) + '\n');
        return;
      }
      ctx.stdout.write(
        table(
          ['id', 'scale', 'size', 'backends', 'installed'],
          rows.map((r) => [r.id, `x${r.scale}`, r.sizeMB === null ? '-' : `${r.sizeMB} MB`, r.backends.join(', '), 'yes']),
        ),
      );
      for (const pkg of missing) ctx.stdout.write(`more models: npm i ${pkg}\n`);
      ctx.stdout.write(`\nncnn models in ${modelDirs.join(', ')} (see docs/models.md):\n`);
      if (ncnn.length === 0) ctx.stdout.write('none found; put Real-ESRGAN, Real-CUGAN or waifu2x .param + .bin files there as the tools lay them out\n');
      else {
        ctx.stdout.write(
          table(
            ['id', 'family', 'scale', 'denoise', 'tiles', 'FLOPs/px in', 'size', 'backends', 'licence'],
            ncnn.map((m) => [m.id, m.family, `x${m.scale}`, String(m.denoise), m.tileSafe ? 'yes' : 'whole frames', formatFlops(m.flopsPerPixel), `${m.sizeMB} MB`, m.backends.join(', '), m.licence]),
          ),
        );
      }
    });
}
