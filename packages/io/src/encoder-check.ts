import { devNull } from 'node:os';
import { cancelledError, UpframeError } from '@upframe/core';
import type { SinkOpenInfo } from '@upframe/core';
import { runTool, type ToolResult } from './child-process.js';
import { toolAnswers } from './tool-answers.js';
import { encoderSettings, videoEncodeArgs, yuvColour, type EncoderSettings, type VideoContainer } from './encoder-args.js';
import type { ToolBinary } from './ffmpeg-binaries.js';
import { versionAtLeast } from './ffmpeg-version.js';

/** ffmpeg's muxer name for each container, so the check also catches a codec the container cannot hold. */
const MUXER: Readonly<Record<VideoContainer, string>> = { mp4: 'mp4', mov: 'mov', mkv: 'matroska', webm: 'webm' };
/** A check that takes longer than this is stuck (it encodes one 64x64 frame). */
const CHECK_TIMEOUT_MS = 30_000;
/** The size of the test frame: small, and even, so 4:2:0 formats need no padding. */
const PROBE_SIZE = 64;

// One check per (binary, arguments) per process: a batch of runs with the same settings pays once.
const verdicts = new Map<string, Promise<ToolResult>>();

/** The ffmpeg command that encodes one tiny generated frame with the sink's own video arguments. */
export function encoderCheckArgs(videoArgs: readonly string[], container: VideoContainer): string[] {
  const input = ['-f', 'lavfi', '-i', `color=size=${PROBE_SIZE}x${PROBE_SIZE}:duration=0.04`];
  return ['-nostdin', '-hide_banner', '-loglevel', 'error', ...input, ...videoArgs, '-frames:v', '1', '-f', MUXER[container], '-y', devNull];
}

/**
 * Ask ffmpeg whether it accepts the encoder settings, before any frame is decoded or upscaled: a
 * misspelt codec, preset or pixel format would otherwise fail only when the first frames reach
 * the encoder. Throws USAGE with ffmpeg's own words.
 */
export async function checkEncoderSettings(
  ffmpeg: ToolBinary,
  output: string,
  container: VideoContainer,
  info: SinkOpenInfo,
  extra: Readonly<Record<string, unknown>> | undefined,
  signal?: AbortSignal,
  /** The settings the sink will use, when it adjusted the defaults (the pixel format that keeps the input's depth). */
  chosen?: EncoderSettings,
): Promise<void> {
  const settings = chosen ?? encoderSettings(container, info.layout, extra).settings;
  const { args: videoArgs } = videoEncodeArgs({
    settings,
    container,
    width: PROBE_SIZE,
    height: PROBE_SIZE,
    color: yuvColour(info.source.color),
    variableFrameRate: info.source.variableFrameRate,
    legacyFfmpeg: !versionAtLeast(ffmpeg.version, 5, 0),
  });
  const args = encoderCheckArgs(videoArgs, container);
  const key = `${ffmpeg.path}\0${args.join('\0')}`;
  // Acceptance is remembered across runs (refusals are not: the message must be ffmpeg's own, now).
  if (toolAnswers().get(ffmpeg.path, args) === 'accepted') return;
  let verdict = verdicts.get(key);
  if (!verdict) {
    // Not tied to this caller's signal: the result is shared, and the check is short anyway.
    verdict = runTool(ffmpeg.path, args, { timeoutMs: CHECK_TIMEOUT_MS });
    verdicts.set(key, verdict);
  }
  const result = await verdict;
  if (signal?.aborted) throw cancelledError(signal.reason);
  if (result.code === 0) {
    toolAnswers().set(ffmpeg.path, args, 'accepted');
    return;
  }
  // Only ffmpeg's own refusal is a verdict on the settings; a crash or hang is asked again next time.
  if (result.code === null) {
    verdicts.delete(key);
    const why = result.spawnError ? `it did not start (${result.spawnError.message})` : `it was stopped by ${result.signal} (a hang past ${CHECK_TIMEOUT_MS / 1000} s is killed)`;
    throw new UpframeError('FFMPEG_FAILED', `could not check the encoder settings for ${output} with ${ffmpeg.path}: ${why}`, { file: output });
  }
  throw new UpframeError('USAGE', `ffmpeg rejects the encoder settings for ${output}: ${result.stderr.trim() || `exit code ${result.code}, no message`}`, {
    file: output,
    hint: hintFor(ffmpeg.path, settings.codec),
  });
}

function hintFor(ffmpeg: string, codec: string): string {
  return [
    `Check --codec, --preset, --pix-fmt and any encoder arguments.`,
    `"${ffmpeg} -hide_banner -encoders" lists the encoders this ffmpeg has;`,
    `"${ffmpeg} -hide_banner -h encoder=${codec}" lists ${codec}'s presets and supported pixel formats.`,
  ].join(' ');
}

/** For tests: forget cached verdicts. */
export function clearEncoderCheckCache(): void {
  verdicts.clear();
}
