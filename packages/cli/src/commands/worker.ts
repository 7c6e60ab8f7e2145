import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UpframeError, type DeviceRequest } from '@upframe/core';
import { redactRedisUrl, redisConnection, startWorker } from '@upframe/cluster';
import { MediaPartRunner } from '../cluster/media-part-runner.js';
import { addPluginOptions, collect, parseDevice, parsePositiveInt, parseThreads } from '../option-parsers.js';
import type { CliContext } from './context.js';

interface WorkerFlags {
  redis: string;
  concurrency?: number;
  device?: DeviceRequest;
  threads?: number;
  root?: string[];
  plugin?: string[];
  config?: boolean;
  lockSeconds?: number;
  name?: string;
}

/**
 * `upframe worker`: takes parts of cluster jobs until stopped (Ctrl-C / SIGTERM). Jobs name paths
 * and settings only; every path must lie inside a `--root`, and the backends, models and plugins a
 * job names must be installed here (`--plugin`), never loaded from the job.
 */
export function workerCommand(ctx: CliContext): Command {
  return addPluginOptions(
    new Command('worker')
      .description('take parts of `upframe cluster submit` jobs from Redis and upscale them (one per GPU, or a few per machine)')
      .requiredOption('--redis <url>', 'Redis URL: redis://[user:password@]host:6379[/db], rediss://… for TLS')
      .option('--root <dir>', 'a folder jobs may read and write in (repeatable; required): a job naming a path elsewhere is refused', collect)
      .option('--concurrency <n>', 'parts run at once (default 1)', parsePositiveInt('--concurrency'))
      .option('--device <device>', 'auto | cpu | cuda | cuda:N for every part this worker runs', parseDevice)
      .option('--threads <n>', 'compute threads per part', parseThreads)
      .option('--name <name>', 'shown by `cluster status` (default host:pid)')
      .addOption(new Option('--lock-seconds <n>', "how long a part's lock lasts without renewal (tests)").argParser(parsePositiveInt('--lock-seconds')).hideHelp()),
  ).action(async (flags: WorkerFlags) => {
    const roots = (flags.root ?? []).map((r) => resolve(r));
    if (roots.length === 0) throw new UpframeError('USAGE', 'upframe worker needs at least one --root folder that jobs may read and write in', { hint: 'Point it at the shared storage: upframe worker --redis URL --root /mnt/media' });
    const logger = ctx.logger({});
    const say = (m: string) => ctx.stderr.write(`upframe worker: ${m}\n`);
    const stopping = new AbortController();
    const runner = new MediaPartRunner({ plugins: flags.plugin ?? [], config: flags.config !== false, device: flags.device, threads: flags.threads, logger, signal: stopping.signal });
    const worker = startWorker({
      connection: redisConnection(flags.redis),
      runner,
      roots,
      concurrency: flags.concurrency,
      name: flags.name,
      lockMs: flags.lockSeconds ? flags.lockSeconds * 1000 : undefined,
      onEvent: say,
    });
    say(`ready ${worker.name}: ${redactRedisUrl(flags.redis)}, roots ${roots.join(', ')}`);
    await new Promise<void>((done) => (ctx.signal.aborted ? done() : ctx.signal.addEventListener('abort', () => done(), { once: true })));
    // Running parts stop; BullMQ retries each on another worker (its attempts and backoff).
    stopping.abort(ctx.signal.reason);
    await worker.close();
    await runner.close();
    say('stopped');
  });
}
