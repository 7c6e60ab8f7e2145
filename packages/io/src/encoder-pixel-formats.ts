import { runTool } from './child-process.js';
import type { ToolBinary } from './ffmpeg-binaries.js';
import { toolAnswers } from './tool-answers.js';

const QUERY_TIMEOUT_MS = 30_000;
// One query per (binary, encoder) per process: `ffmpeg -h encoder=X` answers the same every time.
const cache = new Map<string, Promise<readonly string[] | undefined>>();

/** The "Supported pixel formats:" line of `ffmpeg -h encoder=X`, as a list; undefined when there is none. */
export function parseEncoderPixelFormats(help: string): string[] | undefined {
  const line = /Supported pixel formats:([^\n]*)/.exec(help);
  const formats = line?.[1].trim().split(/\s+/).filter(Boolean);
  return formats?.length ? formats : undefined;
}

/**
 * Pixel formats an encoder of this ffmpeg accepts (same answer format on 4.1 and 5.x), or
 * undefined when ffmpeg does not know the encoder or lists none (it then accepts what it is given,
 * and the encoder check before the run has the last word).
 */
export function encoderPixelFormats(ffmpeg: ToolBinary, codec: string): Promise<readonly string[] | undefined> {
  const key = `${ffmpeg.path}\0${codec}`;
  let formats = cache.get(key);
  if (!formats) {
    const question = ['-hide_banner', '-h', `encoder=${codec}`];
    // Kept across runs too (tied to the binary's identity): each ffmpeg start costs 0.1–0.3 CPU-seconds.
    const remembered = toolAnswers().get(ffmpeg.path, question);
    formats =
      remembered !== undefined
        ? Promise.resolve(remembered ? remembered.split(' ') : undefined)
        : runTool(ffmpeg.path, question, { timeoutMs: QUERY_TIMEOUT_MS }).then((r) => {
            if (r.code !== 0) return undefined;
            const found = parseEncoderPixelFormats(r.stdout);
            toolAnswers().set(ffmpeg.path, question, found ? found.join(' ') : '');
            return found;
          });
    cache.set(key, formats);
  }
  return formats;
}
