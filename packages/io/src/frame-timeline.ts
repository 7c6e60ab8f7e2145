import { cancelledError, UpframeError, type Logger } from '@upframe/core';
import type { DecodedTimestamps } from './decoded-timestamps.js';
import { rescale } from './timing.js';
import type { VideoProbe } from './video-probe.js';

export interface FrameTiming {
  readonly pts: number;
  readonly duration: number;
}

/**
 * Gives each decoded frame its pts and duration on the probed timeline: the decoder's own pts
 * (reported per frame by showinfo, see decoded-timestamps.ts) while `decoderPts` holds, else the
 * k-th probed pts. Durations come from the probed packets, looked up by pts.
 */
export class FrameTimeline {
  private durationAt?: Map<number, number>;
  private lastPts?: number;

  constructor(
    private readonly probed: Pick<VideoProbe, 'info' | 'pts' | 'durations'>,
    /** Frames get the decoder's own pts; turned off when the first one is not on the probed timeline. */
    public decoderPts: boolean,
    private readonly logger: Logger,
  ) {}

  /** Forget the last pts (a decode that starts over from frame 0). */
  restart(): void {
    this.lastPts = undefined;
  }

  /**
   * Timing of a frame decoded on the way to a seek's resume point (showinfo frame `n`); undefined
   * when it is not on the probed timeline (the seek cannot be trusted).
   */
  async seeked(n: number, reported: DecodedTimestamps, signal?: AbortSignal): Promise<FrameTiming | undefined> {
    const raw = await reported.ptsOf(n);
    if (signal?.aborted) throw cancelledError(signal.reason);
    if (raw === undefined || Number.isNaN(raw)) return undefined;
    const at = reported.timeBase ? rescale(raw, reported.timeBase, this.probed.info.timeBase) : raw;
    const duration = this.durations().get(at);
    if (duration === undefined) return undefined;
    this.lastPts = at;
    return { pts: at, duration };
  }

  /** Pts and duration of decoded frame `index` (showinfo's `n`): its own pts when ffmpeg reports them, else the index-th probed one. */
  async of(index: number, n: number, reported: DecodedTimestamps | undefined, signal?: AbortSignal): Promise<FrameTiming> {
    const { info, pts, durations } = this.probed;
    const typical = durations.at(-1) ?? 1;
    if (reported && this.decoderPts) {
      const raw = await reported.ptsOf(n);
      if (signal?.aborted) throw cancelledError(signal.reason);
      if (raw === undefined) {
        throw new UpframeError('FFMPEG_FAILED', `ffmpeg decoded frame ${index} of ${info.path} without reporting its timestamp (showinfo), so lost frames could not be located`, {
          file: info.path,
          hint: 'Point FFMPEG_PATH at a standard ffmpeg build (4.1 or later).',
        });
      }
      const at = Number.isNaN(raw) ? (this.lastPts ?? pts[0] - typical) + typical : reported.timeBase ? rescale(raw, reported.timeBase, info.timeBase) : raw;
      if (index === 0 && !this.durations().has(at)) {
        // Off the probed timeline (an offset this build adds): the decoder's pts cannot be compared
        // with the packets', so frames take the probed pts in order, as for streams without pts.
        this.logger.warn(`${info.path}: ffmpeg's first frame is at pts ${at}, which no probed packet has; frames lost inside the file can only be counted, not located`);
        this.decoderPts = false;
        reported.stop();
      } else {
        this.lastPts = at;
        return { pts: at, duration: this.durations().get(at) ?? typical };
      }
    }
    const known = index < pts.length;
    return { pts: known ? pts[index] : pts.at(-1)! + (index - pts.length + 1) * typical, duration: known ? durations[index] : typical };
  }

  private durations(): Map<number, number> {
    return (this.durationAt ??= new Map(this.probed.pts.map((p, i) => [p, this.probed.durations[i]])));
  }
}
