import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { TOKENS, UpframeError, type DeviceRequest, type Logger } from '@upframe/core';
import type { JoinJobData, JoinResult, PartJobData, PartProgress, PartResult, PartRunner } from '@upframe/cluster';
import { joinClusterParts, verifiedClusterPart } from '@upframe/io';
import { setupContainer } from '../container-setup.js';
import { upscaleRequest } from '../commands/upscale.js';
import { resolveRunSettings } from '../run-options.js';
import { runUpscale } from '../run-upscale.js';
import { resolveStageOptions } from '../stage-options.js';
import { BackendKeeper } from './backend-keeper.js';
import { fromJobSettings } from './job-settings.js';

export interface MediaRunnerOptions {
  /** Plugins installed on this worker (`--plugin`); a job can only name what these and the built-ins register. */
  readonly plugins: readonly string[];
  /** Read `upframe.config.*` of the worker's folder for plugins (never the job's settings). */
  readonly config: boolean;
  /** The worker's own device and threads: they belong to the machine, not to the job. */
  readonly device?: DeviceRequest;
  readonly threads?: number;
  readonly logger: Logger;
  /** Stops running parts when the worker is asked to stop (a stopped part is retried by BullMQ). */
  readonly signal?: AbortSignal;
}

/**
 * The media layer of a worker: a part is the same pipeline `upframe upscale` runs (run-upscale.ts),
 * on frames [firstFrame, endFrame), committed by the video sink into the job's journal folder with
 * the encoder settings and timeline origin of a local run; the join stream-copies the parts and
 * muxes the input's other streams as the local chunked output does.
 */
export class MediaPartRunner implements PartRunner {
  /** The model stays loaded from one part to the next (same settings). */
  private readonly backends = new BackendKeeper();

  constructor(private readonly o: MediaRunnerOptions) {}

  /** Releases the kept backend; called once the worker takes no more parts. */
  close(): Promise<void> {
    return this.backends.close();
  }

  async runPart(data: PartJobData, progress: (p: PartProgress) => void, signal: AbortSignal): Promise<PartResult> {
    const { index, firstFrame, endFrame, originPts } = data.part;
    const frames = endFrame - firstFrame;
    const fingerprint = await partFingerprint(data);
    const committed = await verifiedClusterPart(data.output, index, fingerprint);
    if (committed && committed.record.firstFrame === firstFrame && committed.record.frames === frames) {
      return { index, frames, bytes: committed.record.bytes, sha256: committed.record.sha256, reused: true };
    }
    const { container, request } = await this.request(data);
    const stop = this.o.signal ? AbortSignal.any([signal, this.o.signal]) : signal;
    let reported = -Infinity;
    await runUpscale(
      container,
      { ...request, part: { index, firstFrame, endFrame, originPts, fingerprint }, backendSource: (key, create) => this.backends.acquire(key, create) },
      {
        start: () => {},
        update: (p) => {
          // At most two progress writes to Redis a second per part, whatever the frame rate.
          const now = performance.now();
          if (now - reported < 500 && p.done < endFrame) return;
          reported = now;
          progress({ framesDone: Math.max(0, p.done - firstFrame), frames, fps: p.fps });
        },
        done: () => {},
        fail: () => {},
      },
      stop,
    );
    const written = await verifiedClusterPart(data.output, index, fingerprint);
    if (!written || written.record.frames !== frames) {
      throw new UpframeError('OUTPUT_FAILED', `part ${index + 1} of ${data.part.count} (frames ${firstFrame}–${endFrame - 1}) was not committed whole: ${written ? `${written.record.frames} frames` : 'no record'}`, { file: data.output });
    }
    return { index, frames, bytes: written.record.bytes, sha256: written.record.sha256, reused: false };
  }

  async join(data: JoinJobData, parts: readonly PartResult[]): Promise<JoinResult> {
    const sha256 = [...parts].sort((a, b) => a.index - b.index).map((p) => p.sha256);
    return joinClusterParts({ input: data.input, output: data.output, parts: data.parts, frames: data.frames, sha256, overwrite: data.settings.overwrite === true });
  }

  /** The job's settings resolved as `upscale` resolves flags, on a container with only this worker's plugins. */
  private async request(data: PartJobData) {
    const { container, modelDirs } = await setupContainer({ plugins: [...this.o.plugins], logger: this.o.logger, config: this.o.config, notice: nowhere });
    const { flags, defaults } = fromJobSettings(data.settings);
    const machine = { ...(this.o.device ? { device: this.o.device } : {}), ...(this.o.threads ? { threads: this.o.threads } : {}) };
    const s = resolveRunSettings({ ...flags, ...machine, quiet: true, partSeconds: 0 }, {}, undefined, { bestDedupe: container.resolve(TOKENS.Dedupe).names()[0] ?? 'off' });
    const stage = resolveStageOptions(container, s, {}, defaults, `job ${data.job}`);
    return { container, request: upscaleRequest(data.input, data.output, s, stage, modelDirs) };
  }
}

/** The input file (size, mtime) and every setting of the job: a committed part is reused only for the same. */
async function partFingerprint(data: PartJobData): Promise<string> {
  const s = await stat(data.input).catch(() => undefined);
  if (!s) throw new UpframeError('INPUT_NOT_FOUND', `the job's input ${data.input} does not exist on this worker`, { file: data.input, hint: 'Inputs and outputs must be on storage every worker sees at the same path.' });
  const settings = Object.fromEntries(Object.entries(data.settings).sort(([a], [b]) => a.localeCompare(b)));
  const what = { input: data.input, size: s.size, mtimeMs: Math.round(s.mtimeMs), settings, firstFrame: data.part.firstFrame, endFrame: data.part.endFrame, originPts: data.part.originPts };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/** A worker does not print the config notice for every part. */
const nowhere = { write: () => true };
