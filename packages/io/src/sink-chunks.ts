import type { Logger, SinkOpenInfo, SinkOptions } from '@upframe/core';
import { ChunkedOutput, DEFAULT_PART_SECONDS, encoderJournalSettings } from './chunked-output.js';
import { encoderSettings, type EncoderSettings, type VideoContainer } from './encoder-args.js';
import { versionAtLeast, type FfmpegVersion } from './ffmpeg-version.js';
import { isBoolean, isNumber, optionOf } from './stage-options.js';

export interface SinkChunksInput {
  readonly output: string;
  readonly info: SinkOpenInfo;
  readonly container: VideoContainer;
  readonly version: FfmpegVersion;
  readonly extra: SinkOptions['extra'];
  readonly logger: Logger;
  /** The settings the sink will encode with, when it chose them (pixel format, preset). */
  readonly encoder?: EncoderSettings;
}

/**
 * The video sink's journaled parts: for a video input on ffmpeg 5.0+ unless `partSeconds` is 0. A
 * sequence input has no single file to identify, and older ffmpeg needs a remux stage per part;
 * both are written in one piece, as before. Returns the notes to keep in the result (the resume
 * message, dropped parts, or why the output is not resumable).
 */
export async function openSinkChunks(o: SinkChunksInput): Promise<{ chunked?: ChunkedOutput; notes: string[] }> {
  const extra = o.extra ?? {};
  const partSeconds = optionOf(extra, 'partSeconds', 'a number of seconds (0: one piece)', isNumber) ?? DEFAULT_PART_SECONDS;
  const fresh = optionOf(extra, 'fresh', 'true or false', isBoolean) ?? false;
  if (partSeconds <= 0 || o.info.source.kind !== 'video') return { notes: [] };
  if (!versionAtLeast(o.version, 5, 0)) {
    const note = `written in one piece, so an interrupted run starts over: resumable parts need ffmpeg 5.0 or later (this is ${o.version.raw})`;
    o.logger.info(note);
    return { notes: [note] };
  }
  // The settings the sink encodes with (depth-keeping pixel format, chosen preset), else the defaults.
  const encoder = o.encoder ?? encoderSettings(o.container, o.info.layout, extra).settings;
  // The caller's pixel-affecting settings (model, backend, dedupe…), compared as text on a resume.
  const given = extra.journalSettings;
  const caller = typeof given === 'object' && given !== null ? Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)])) : {};
  const settings = { ...caller, ...encoderJournalSettings(encoder), output: o.output };
  const chunked = await ChunkedOutput.open({ output: o.output, input: o.info.source.path, settings, partSeconds, fresh, logger: o.logger });
  const notes = [...chunked.notes];
  const message = chunked.resumeMessage(o.info.source);
  if (message) {
    o.logger.info(message);
    notes.push(message);
  }
  return { chunked, notes };
}
