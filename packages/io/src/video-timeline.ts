import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UpframeError, type Rational } from '@upframe/core';
import { resolveFfmpegBinaries } from './ffmpeg-binaries.js';
import { probeMedia, probePacketTimes } from './ffprobe.js';
import { identityOf } from './input-file.js';
import { describeVideo, pickVideoStream } from './video-probe.js';

/** The frames of a video file as the video source will yield them: what a cluster job's parts are planned from. */
export interface VideoTimeline {
  readonly path: string;
  /** Sorted presentation pts of every frame, in `timeBase` (frame k of the source has `pts[k]`). */
  readonly pts: readonly number[];
  /** Pts of the keyframes, where a decoder can start (the source's `startAt` seeks to them). */
  readonly keyframePts: readonly number[];
  readonly timeBase: Rational;
  /** Size and mtime, so a part made from another version of the file is not reused. */
  readonly identity: string;
}

/** Probes a video file's frame timeline with the same probe the video source opens it with. */
export async function probeVideoTimeline(file: string, signal?: AbortSignal): Promise<VideoTimeline> {
  const path = resolve(file);
  const stats = await stat(path).catch(() => undefined);
  if (!stats?.isFile()) throw new UpframeError('INPUT_NOT_FOUND', `${path} is not a file`, { file: path });
  const { ffprobe } = await resolveFfmpegBinaries();
  const probe = await probeMedia(ffprobe, path, signal);
  const stream = pickVideoStream(probe);
  if (!stream) throw new UpframeError('INPUT_INVALID', `${path} holds no video stream to distribute`, { file: path });
  const packets = await probePacketTimes(ffprobe, path, stream.index, signal);
  const identity = identityOf(path, stats);
  const probed = describeVideo(path, probe, packets, identity);
  if (probed.pts.length === 0) throw new UpframeError('INPUT_INVALID', `${path}: the video stream holds no frames`, { file: path });
  return { path, pts: probed.pts, keyframePts: packets.keyframePts ?? [], timeBase: probed.info.timeBase, identity };
}
