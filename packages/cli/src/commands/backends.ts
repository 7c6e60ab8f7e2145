import { Command } from 'commander';
import { AUTO_BACKEND, TOKENS, createMemoryLogger, nvidiaDriverPresent, probeCandidates, type BackendAttempt, type DeviceRequest, type InferenceBackend } from '@upframe/core';
import { DEFAULT_MODEL_ID } from '@upframe/models';
import { describeFfmpeg } from '@upframe/io';
import { setupContainer } from '../container-setup.js';
import { addPluginOptions, parseDevice } from '../option-parsers.js';
import { catalogModelFormat } from '../backend-choice.js';
import { table } from '../table.js';
import type { CliContext } from './context.js';

interface BackendStatus {
  name: string;
  description: string;
  origin?: string;
  ok: boolean;
  device?: string;
  provider?: string;
  /** Devices the backend can use on this machine: `cuda` only where an NVIDIA driver is loaded. */
  devices: readonly string[];
  /** Every device the backend could target somewhere. */
  targets: readonly string[];
  warnings: readonly string[];
  error?: string;
}

async function probe(backend: InferenceBackend): Promise<Omit<BackendStatus, 'name' | 'description' | 'origin'>> {
  const targets = backend.capabilities().devices;
  const devices = presentDevices(targets);
  try {
    await backend.initialize();
    const info = backend.info();
    return { ok: true, device: info.device, provider: info.provider, devices, targets, warnings: info.warnings };
  } catch (error) {
    return { ok: false, devices, targets, warnings: [], error: error instanceof Error ? error.message : String(error) };
  } finally {
    await backend.dispose().catch(() => undefined);
  }
}

/** The devices of `targets` that exist here: no NVIDIA driver, no `cuda`. */
export function presentDevices(targets: readonly string[], gpuPresent = nvidiaDriverPresent()): string[] {
  return targets.filter((d) => gpuPresent || !/^(cuda|tensorrt)(:\d+)?$/.test(d));
}

/** `--backend auto`'s order here: every candidate, whether it is usable, and which one auto would pick. */
interface AutoOrder {
  readonly device: string;
  readonly model: string;
  readonly candidates: readonly (BackendAttempt & { rank: number; usable: boolean })[];
  readonly picks: { readonly backend: string; readonly device: string } | null;
}

function autoOrder(attempts: readonly BackendAttempt[], device: string, model: string): AutoOrder {
  const candidates = attempts.map((a, i) => ({ rank: i + 1, usable: a.status === 'ok', ...a }));
  const first = candidates.find((c) => c.usable);
  return { device, model, candidates, picks: first ? { backend: first.backend, device: first.device } : null };
}

function printAutoOrder(out: NodeJS.WritableStream, order: AutoOrder): void {
  out.write(`\n${AUTO_BACKEND} order (--backend ${AUTO_BACKEND}, --device ${order.device}, model ${order.model}; highest priority first):\n`);
  const rows = order.candidates.map((c) => [
    String(c.rank),
    c.backend,
    c.device,
    String(c.priority),
    c.usable ? 'yes' : c.status === 'skipped' ? 'skipped' : 'no',
    // First line only: the full message (and its hint) is in --json.
    c.usable ? `${c.provider} on ${c.ranOn}` : `${(c.reason ?? '').split('\n')[0]}${c.code ? ` [${c.code}]` : ''}`,
  ]);
  out.write(table(['#', 'backend', 'device', 'priority', 'usable', 'runs on / why not'], rows));
  out.write(order.picks ? `auto picks: ${order.picks.backend} on ${order.picks.device}\n` : 'auto picks: nothing; every candidate failed (see above)\n');
}

export function backendsCommand(ctx: CliContext): Command {
  return addPluginOptions(new Command('backends')
    .description('list registered backends, whether each initialises here, devices/providers, the order `--backend auto` tries them in, and the ffmpeg in use')
    .option('--device <device>', 'device to try: auto | cpu | cuda | cuda:N', parseDevice, 'auto')
    .option('--model <id>', 'model to load while probing', DEFAULT_MODEL_ID)
    .option('--json', 'print as JSON', false))
    .action(async (flags: { device: string; model: string; json: boolean; plugin: string[]; config?: boolean }) => {
      const { container } = await setupContainer({ plugins: flags.plugin, logger: createMemoryLogger(), config: flags.config !== false, notice: ctx.stderr });
      const statuses: BackendStatus[] = [];
      for (const entry of container.resolve(TOKENS.Backends).list()) {
        const backend = entry.create(container, { model: flags.model, device: flags.device as never });
        statuses.push({ name: entry.name, description: entry.description, origin: entry.origin, ...(await probe(backend)) });
      }
      const request = { model: flags.model, device: flags.device as DeviceRequest, modelFormat: catalogModelFormat(flags.model) };
      const auto = autoOrder(await probeCandidates(container.resolve(TOKENS.Backends), container, request, ctx.signal), flags.device, flags.model);
      const ffmpeg = await describeFfmpeg();
      if (flags.json) {
        ctx.stdout.write(JSON.stringify({ backends: statuses, auto, ffmpeg }, null, 2) + '\n');
        return;
      }
      for (const s of statuses) {
        ctx.stdout.write(`${s.name}  ${s.ok ? 'OK' : 'UNAVAILABLE'}  ${s.description}${s.origin ? ` (${s.origin})` : ''}\n`);
        const elsewhere = s.targets.filter((d) => !s.devices.includes(d));
        ctx.stdout.write(`  devices: ${s.devices.join(', ') || 'none here'}${elsewhere.length ? ` (${elsewhere.join(', ')} needs an NVIDIA GPU; none here)` : ''}\n`);
        if (s.ok) ctx.stdout.write(`  in use: ${s.provider} on ${s.device}\n`);
        for (const w of s.warnings) ctx.stdout.write(`  note: ${w}\n`);
        if (s.error) ctx.stdout.write(`  error: ${s.error}\n`);
      }
      printAutoOrder(ctx.stdout, auto);
      ctx.stdout.write(`ffmpeg: ${ffmpeg.ffmpeg.path} (${ffmpeg.ffmpeg.version}, ${ffmpeg.ffmpeg.source})\nffprobe: ${ffmpeg.ffprobe.path} (${ffmpeg.ffprobe.version}, ${ffmpeg.ffprobe.source})\n`);
      for (const w of ffmpeg.warnings) ctx.stdout.write(`  note: ${w}\n`);
    });
}
