import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { TOKENS, UpframeError } from '@upframe/core';
import { jobStatus, planParts, redisConnection, submitJob, waitForJob, type JobStatus } from '@upframe/cluster';
import { detectInputKind, guardOutput, outputKindFor, probeVideoTimeline } from '@upframe/io';
import { toJobSettings } from '../cluster/job-settings.js';
import { setupContainer } from '../container-setup.js';
import { parsePositiveInt } from '../option-parsers.js';
import { givenFlags, resolveRunSettings } from '../run-options.js';
import { resolveStageOptions } from '../stage-options.js';
import { table } from '../table.js';
import type { CliContext } from './context.js';
import { addRunOptions } from './upscale.js';

/**
 * Submit, status and wait give up when Redis cannot be reached (a few reconnects) rather than wait
 * for it forever, as a worker does: a typo in --redis must not look like a job that never ends.
 */
function clientConnection(url: string): ReturnType<typeof redisConnection> {
  return redisConnection(url, { failFast: true });
}

const REDIS_HELP = 'Redis URL: redis://[user:password@]host:6379[/db], rediss://… for TLS';

/** `upframe cluster submit|status|wait`: jobs for workers started with `upframe worker`. */
export function clusterCommand(ctx: CliContext): Command {
  const cluster = new Command('cluster').description('distribute a video upscale over worker processes and machines (BullMQ on Redis; see docs/cluster.md)');
  cluster.addCommand(submitCommand(ctx));
  cluster.addCommand(
    new Command('status')
      .description("a job's state, part by part: state, worker, frames, fps and ETA")
      .argument('<job>', 'job id printed by `upframe cluster submit`')
      .requiredOption('--redis <url>', REDIS_HELP)
      .option('--json', 'print the status as JSON')
      .action(async (job: string, o: { redis: string; json?: boolean }) => {
        const status = await jobStatus(clientConnection(o.redis), job);
        ctx.stdout.write(o.json ? `${JSON.stringify(status)}\n` : describeStatus(status));
      }),
  );
  cluster.addCommand(
    new Command('wait')
      .description('wait until the job is done (exit 0, output in place) or failed (exit 1, naming the part and its error)')
      .argument('<job>', 'job id printed by `upframe cluster submit`')
      .requiredOption('--redis <url>', REDIS_HELP)
      .option('--quiet', 'no progress lines')
      .action(async (job: string, o: { redis: string; quiet?: boolean }) => {
        let last = '';
        const status = await waitForJob(clientConnection(o.redis), job, {
          signal: ctx.signal,
          // The job's end wakes the wait at once (queue events); reads between are for the progress line.
          pollMs: o.quiet ? 5000 : 1000,
          onStatus: (s) => {
            const line = `${job}: ${s.state}, ${s.framesDone}/${s.frames} frames${s.etaSeconds !== undefined ? `, ETA ${Math.ceil(s.etaSeconds)} s` : ''}\n`;
            if (!o.quiet && line !== last) ctx.stderr.write(line);
            last = line;
          },
        });
        ctx.stdout.write(`${status.output}\n`);
      }),
  );
  // Subcommands added this way inherit nothing: usage mistakes must reach main (exit 2), output the context's streams.
  for (const sub of cluster.commands) sub.exitOverride().configureOutput({ writeOut: (t) => ctx.stdout.write(t), writeErr: (t) => ctx.stderr.write(t) });
  return cluster;
}

function submitCommand(ctx: CliContext): Command {
  return addRunOptions(
    new Command('submit')
      .description('plan a video into parts that start at keyframes and queue them for `upframe worker`s; prints the job id')
      .argument('<input>', 'video file, on storage every worker sees at the same path')
      .requiredOption('-o, --output <path>', 'output video, on the same shared storage')
      .requiredOption('--redis <url>', REDIS_HELP)
      .option('--attempts <n>', 'tries per part before the job fails (default 3)', parsePositiveInt('--attempts')),
  ).action(async (input: string, options: { output: string; redis: string; attempts?: number }, cmd: Command) => {
    const flags = givenFlags(cmd);
    const connection = clientConnection(options.redis);
    const inputPath = resolve(input);
    const output = resolve(options.output);
    if (inputPath === output) throw new UpframeError('OUTPUT_SAME_AS_INPUT', `output ${options.output} is the input; upframe never writes over its input`, { file: output });
    const kind = await detectInputKind(inputPath);
    if (kind !== 'video' || outputKindFor(output, kind) !== 'video') {
      throw new UpframeError('USAGE', `a cluster job upscales a video file into a video file; ${input} is ${kind} input and ${options.output} ${outputKindFor(output, kind)} output`, { hint: 'Use `upframe upscale` for images and frame folders.' });
    }
    const logger = ctx.logger({ quiet: true });
    const { container, defaults, configFile } = await setupContainer({ plugins: (flags.plugin as string[] | undefined) ?? [], logger, config: flags.config !== false, notice: ctx.stderr });
    const s = resolveRunSettings(flags, defaults, configFile, { bestDedupe: container.resolve(TOKENS.Dedupe).names()[0] ?? 'off' });
    const stage = resolveStageOptions(container, s, flags, defaults, configFile);
    // One frame per field doubles the frames the plan counted; frame-mode deinterlacing keeps them.
    if (s.deinterlace === 'field') throw new UpframeError('USAGE', 'a cluster job cannot use --deinterlace field (one frame per field): parts are planned on the input frames', { hint: 'Use --deinterlace frame (or auto), or `upframe upscale` on one machine.' });
    if (!(s.partSeconds > 0)) throw new UpframeError('USAGE', `--part-seconds must be above 0 for a cluster job (got ${s.partSeconds})`);
    await guardOutput(output, { kind: 'file', overwrite: s.overwrite, inputs: [inputPath] });
    const timeline = await probeVideoTimeline(inputPath, ctx.signal);
    const parts = planParts({ framePts: timeline.pts, keyframePts: timeline.keyframePts, timeBase: timeline.timeBase, partSeconds: s.partSeconds });
    const job = `uf-${randomBytes(6).toString('hex')}`;
    await submitJob(connection, { job, input: inputPath, output, parts, frames: timeline.pts.length, settings: toJobSettings(s, stage), attempts: options.attempts });
    ctx.stderr.write(`upframe: queued ${parts.length} part(s), ${timeline.pts.length} frames; follow it with \`upframe cluster wait ${job} --redis …\`\n`);
    ctx.stdout.write(`${job}\n`);
  });
}

function describeStatus(s: JobStatus): string {
  const rows = s.parts.map((p) => [
    String(p.index + 1),
    p.state,
    `${p.framesDone}/${p.frames}`,
    p.worker ?? '',
    p.fps !== undefined ? p.fps.toFixed(1) : '',
    String(p.attempts),
    p.error ?? '',
  ]);
  const eta = s.etaSeconds !== undefined ? `, ETA ${Math.ceil(s.etaSeconds)} s` : '';
  return `job ${s.job}: ${s.state}, ${s.framesDone}/${s.frames} frames${eta} → ${s.output}\n${table(['part', 'state', 'frames', 'worker', 'fps', 'attempts', 'error'], rows)}${s.error ? `error: ${s.error}\n` : ''}`;
}
