import type { Readable } from 'node:stream';
import type { Rational } from '@upframe/core';
import { runTool } from './child-process.js';
import { toolAnswers } from './tool-answers.js';
import type { ToolBinary } from './ffmpeg-binaries.js';
import { versionAtLeast } from './ffmpeg-version.js';

/**
 * Why decoded frames need their own pts: rawvideo on a pipe carries none, and giving frame k the
 * k-th probed packet pts hides every loss. Measured on a 2 s, 25 fps H.264 clip with 2 KB zeroed
 * in the middle (ffmpeg 5.1 and 4.1 alike): the MP4's index still lists 50 packets, the decoder
 * drops the 20 whose bytes are gone and emits 30 frames, the last 24 of which are really frames
 * 26–49, so the index mapping gave them the pts of frames 6–29 and the run later blamed a
 * "missing" tail 30–49. The MPEG-TS demuxer loses the same packets before ffprobe sees them, so
 * count and pts agree and the loss is invisible without looking at the pts steps.
 *
 * So the decoder reports each frame's pts through the `showinfo` filter on stderr (`checksum=0`
 * keeps it to ~1 ms a 1080p frame) with `-copyts`, which keeps the pts on the container's timeline
 * where the probed packets are. showinfo logs a frame before passing it on, so its line is on the
 * stderr pipe before the frame's bytes reach stdout.
 */
export const TIMESTAMP_FILTER = 'showinfo=checksum=0';

const capable = new Map<string, Promise<boolean>>();

/** Whether this ffmpeg can report decoded pts: showinfo compiled in, and `-loglevel level+…` known (4.1+). */
export function canReportTimestamps(ffmpeg: ToolBinary): Promise<boolean> {
  if (!versionAtLeast(ffmpeg.version, 4, 1)) return Promise.resolve(false);
  let answer = capable.get(ffmpeg.path);
  if (!answer) {
    const question = ['-hide_banner', '-filters', 'showinfo?'];
    const remembered = toolAnswers().get(ffmpeg.path, question);
    answer =
      remembered !== undefined
        ? Promise.resolve(remembered === 'yes')
        : runTool(ffmpeg.path, ['-hide_banner', '-filters'], { timeoutMs: 30_000 }).then((r) => {
            if (r.code !== 0) return false;
            const has = /\bshowinfo\b/.test(r.stdout);
            toolAnswers().set(ffmpeg.path, question, has ? 'yes' : 'no');
            return has;
          });
    capable.set(ffmpeg.path, answer);
  }
  return answer;
}

/** `[info]`-level chatter (stream listings, the final stats line) that would bury ffmpeg's real complaints. */
const CHATTER = /\[(info|verbose|debug|trace)\]|Parsed_showinfo/;
const KEEP_LINES = 40;

/**
 * Reads showinfo's per-frame lines (`n: 12 pts: 6144 …`) from ffmpeg's stderr and answers the pts
 * of decoded frame n. Everything else that is a warning or an error is kept for messages.
 */
export class DecodedTimestamps {
  /** Time base of the reported pts, from showinfo's `config in time_base:` line. */
  timeBase?: Rational;
  /** Pts by frame number; NaN where showinfo printed NOPTS. */
  private readonly known = new Map<number, number>();
  private readonly problems: string[] = [];
  private partial = '';
  private ended = false;
  private stopped = false;
  private waiter?: { n: number; wake: () => void };

  constructor(stderr: Readable) {
    stderr.on('data', (text: string | Buffer) => this.feed(String(text)));
    const end = () => {
      this.ended = true;
      this.waiter?.wake();
    };
    stderr.once('end', end);
    stderr.once('close', end);
  }

  /**
   * The pts ffmpeg reported for frame `n`: NaN for NOPTS, undefined when no line came. Only asked once the
   * frame's bytes arrived, so the line is already written: a few event-loop turns let Node read it.
   */
  async ptsOf(n: number): Promise<number | undefined> {
    for (let turn = 0; turn < 20 && !this.known.has(n) && !this.ended; turn++) await new Promise((r) => setImmediate(r));
    if (!this.known.has(n) && !this.ended) {
      await new Promise<void>((resolve) => {
        // Generous: a timer can fire before a busy event loop has read stderr; a showinfo line in a
        // format we cannot parse must still end as an error, not a hang (ffmpeg blocks on a full pipe).
        const timer = setTimeout(() => setImmediate(wake), 30_000);
        const wake = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
        this.waiter = { n, wake };
      });
    }
    const pts = this.known.get(n);
    this.known.delete(n);
    return pts;
  }

  /** Stop keeping per-frame pts (the source fell back to probed pts); problems are still kept. */
  stop(): void {
    this.stopped = true;
    this.known.clear();
  }

  /** The last warnings and errors ffmpeg printed, without the per-frame lines. */
  tail(maxLines = 15): string {
    return this.problems.slice(-maxLines).join('\n');
  }

  private feed(text: string): void {
    const lines = (this.partial + text).split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.parse(line);
  }

  private parse(line: string): void {
    const frame = /\bn:\s*(\d+)\s+pts:\s*(-?\d+|NOPTS)/.exec(line);
    if (frame) {
      if (this.stopped) return;
      const n = Number(frame[1]);
      this.known.set(n, frame[2] === 'NOPTS' ? NaN : Number(frame[2]));
      if (this.waiter?.n === n) this.waiter.wake();
      return;
    }
    const config = /config in time_base:\s*(\d+)\/(\d+)/.exec(line);
    if (config && !this.timeBase && Number(config[1]) > 0) this.timeBase = { num: Number(config[1]), den: Number(config[2]) };
    if (!line.trim() || CHATTER.test(line)) return;
    this.problems.push(line.replace(/\[(warning|error|fatal|panic)\] /, ''));
    if (this.problems.length > KEEP_LINES) this.problems.shift();
  }
}
