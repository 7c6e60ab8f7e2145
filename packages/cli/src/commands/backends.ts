import { Command } from 'commander';
import { TOKENS, createMemoryLogger, type InferenceBackend } from '@upframe/core';
import { DEFAULT_MODEL_ID } from '@upframe/models';
import { describeFfmpeg } from '@upframe/io';
import { setupContainer } from '../container-setup.js';
import { collect, parseDevice } from '../option-parsers.js';
import type { CliContext } from './context.js';

interface BackendStatus {
  name: string;
  description: string;
  origin?: string;
  ok: boolean;
  device?: string;
  provider?: string;
  devices: readonly string[];
  warnings: readonly string[];
  error?: string;
}

async function probe(backend: InferenceBackend): Promise<Omit<BackendStatus, 'name' | 'description' | 'origin'>> {
  const devices = backend.capabilities().devices;
  try {
    await backend.initialize();
    const info = backend.info();
    return { ok: true, device: info.device, provider: info.provider, devices, warnings: info.warnings };
  } catch (error) {
    return { ok: false, devices, warnings: [], error: error instanceof Error ? error.message : String(error) };
  } finally {
    await backend.dispose().catch(() => undefined);
  }
}

export function backendsCommand(ctx: CliContext): Command {
  return new Command('backends')
    .description('list registered backends, whether each initialises here, devices/providers, and the ffmpeg in use')
    .option('--device <device>', 'device to try: auto | cpu | cuda | cuda:N', parseDevice, 'auto')
    .option('--model <id>', 'model to load while probing', DEFAULT_MODEL_ID)
    .option('--json', 'print as JSON', false)
    .option('--plugin <module>', 'load a plugin module or path (repeatable)', collect, [])
    .action(async (flags: { device: string; model: string; json: boolean; plugin: string[] }) => {
      const { container } = await setupContainer({ plugins: flags.plugin, logger: createMemoryLogger() });
      const statuses: BackendStatus[] = [];
      for (const entry of container.resolve(TOKENS.Backends).list()) {
        const backend = entry.create(container, { model: flags.model, device: flags.device as never });
        statuses.push({ name: entry.name, description: entry.description, origin: entry.origin, ...(await probe(backend)) });
      }
      const ffmpeg = await describeFfmpeg();
      if (flags.json) {
        ctx.stdout.write(JSON.stringify({ backends: statuses, ffmpeg }, null, 2) + '\n');
        return;
      }
      for (const s of statuses) {
        ctx.stdout.write(`${s.name}  ${s.ok ? 'OK' : 'UNAVAILABLE'}  ${s.description}${s.origin ? ` (${s.origin})` : ''}\n`);
        ctx.stdout.write(`  devices: ${s.devices.join(', ')}\n`);
        if (s.ok) ctx.stdout.write(`  in use: ${s.provider} on ${s.device}\n`);
        for (const w of s.warnings) ctx.stdout.write(`  note: ${w}\n`);
        if (s.error) ctx.stdout.write(`  error: ${s.error}\n`);
      }
      ctx.stdout.write(`ffmpeg: ${ffmpeg.ffmpeg.path} (${ffmpeg.ffmpeg.version}, ${ffmpeg.ffmpeg.source})\nffprobe: ${ffmpeg.ffprobe.path} (${ffmpeg.ffprobe.version}, ${ffmpeg.ffprobe.source})\n`);
      for (const w of ffmpeg.warnings) ctx.stdout.write(`  note: ${w}\n`);
    });
}
