import type { DependencyContainer } from 'tsyringe';
import { resolveWith, TOKENS } from '@upframe/core';
import { AnimatedImageSink } from './animated-image-sink.js';
import { AnimatedImageSource } from './animated-image-source.js';
import { FfmpegSink } from './ffmpeg-sink.js';
import { FfmpegSource } from './ffmpeg-source.js';
import { ImageSink } from './image-sink.js';
import { ImageSource } from './image-source.js';
import { SequenceSink } from './sequence-sink.js';
import { SequenceSource } from './sequence-source.js';

export { FfmpegSource } from './ffmpeg-source.js';
export { DEINTERLACE_MODES, parseDeinterlaceMode } from './interlace.js';
export type { DeinterlaceMode } from './interlace.js';
export { FfmpegSink } from './ffmpeg-sink.js';
export { ImageSource } from './image-source.js';
export { ImageSink } from './image-sink.js';
export { AnimatedImageSource } from './animated-image-source.js';
export { AnimatedImageSink } from './animated-image-sink.js';
export { ANIMATION_FORMATS } from './animation-probe.js';
export type { AnimationFormat } from './animation-probe.js';
export { ANIMATION_EXTENSIONS } from './animation-encoder.js';
export { SequenceSource } from './sequence-source.js';
export { SequenceSink } from './sequence-sink.js';
export { validateFrameSequence } from './sequence-validator.js';
export type { FrameSequence, SequenceFrameFile } from './sequence-validator.js';
export { detectInputKind, outputKindFor } from './input-kind.js';
export { guardOutput } from './output-guard.js';
export type { OutputGuardOptions, GuardResult } from './output-guard.js';
export { discardLiveWorkspacesSync } from './temp-workspace.js';
export { BINARY_ORIGINS, resolveFfmpegBinaries, describeBinaries, describeFfmpeg, decoderSecurityWarning } from './ffmpeg-binaries.js';
export type { BinaryOrigin, FfmpegBinaries, FfmpegDescription, ToolBinary, ResolveBinariesOptions } from './ffmpeg-binaries.js';
export { parseFfmpegVersion, versionAtLeast } from './ffmpeg-version.js';
export type { FfmpegVersion } from './ffmpeg-version.js';
export { VIDEO_CONTAINERS, VIDEO_SINK_OPTIONS } from './encoder-args.js';
export { DEFAULT_PART_SECONDS } from './chunked-output.js';
export { journalDir } from './part-journal.js';
export { joinClusterParts } from './cluster-join.js';
export type { ClusterJoinRequest } from './cluster-join.js';
export { readClusterPart, verifiedClusterPart } from './cluster-part-store.js';
export type { ClusterPartRecord } from './cluster-part-store.js';
export type { ClusterPartOption } from './cluster-part-option.js';
export { probeVideoTimeline } from './video-timeline.js';
export type { VideoTimeline } from './video-timeline.js';
export type { VideoContainer } from './encoder-args.js';
export { IMAGE_EXTENSIONS, ALPHA_FORMATS, writableImageFormats } from './image-formats.js';
export type { VideoSourceDetails, StreamSummary } from './video-probe.js';
export { toolCpuSeconds, TOOL_ROLES } from './tool-cpu.js';
export type { ToolCpuSeconds, ToolRole } from './tool-cpu.js';
export { probeMedia, probePacketTimes } from './ffprobe.js';
export type { PacketTimes, ProbeResult } from './ffprobe.js';
export { explainWriteError, makeOutputDirectory, diskFullError, freeBytes } from './write-errors.js';

const ORIGIN = '@upframe/io';

/** Register the `video`, `image`, `sequence` and `animation` sources and sinks in the container's registries. */
export function register(container: DependencyContainer): void {
  const sources = container.resolve(TOKENS.Sources);
  const sinks = container.resolve(TOKENS.Sinks);
  sources
    .add({ name: 'video', description: 'video file decoded by ffmpeg (mp4, mkv, webm, mov, …)', origin: ORIGIN, create: (c, o) => resolveWith(c, FfmpegSource, TOKENS.SourceOptions, o) })
    .add({ name: 'image', description: 'single image read by sharp (png, jpeg, webp, tiff, avif)', origin: ORIGIN, create: (c, o) => resolveWith(c, ImageSource, TOKENS.SourceOptions, o) })
    .add({ name: 'sequence', description: 'directory of numbered images', origin: ORIGIN, create: (c, o) => resolveWith(c, SequenceSource, TOKENS.SourceOptions, o) })
    .add({ name: 'animation', description: 'animated GIF, WebP or PNG (APNG), every frame with its delay', origin: ORIGIN, create: (c, o) => resolveWith(c, AnimatedImageSource, TOKENS.SourceOptions, o) });
  sinks
    .add({ name: 'video', description: 'video encoded by ffmpeg, audio/subtitles/metadata copied from the input', origin: ORIGIN, create: (c, o) => resolveWith(c, FfmpegSink, TOKENS.SinkOptions, o) })
    .add({ name: 'image', description: 'single image written by sharp', origin: ORIGIN, create: (c, o) => resolveWith(c, ImageSink, TOKENS.SinkOptions, o) })
    .add({ name: 'sequence', description: 'directory of numbered images, names kept', origin: ORIGIN, create: (c, o) => resolveWith(c, SequenceSink, TOKENS.SinkOptions, o) })
    .add({ name: 'animation', description: 'animated GIF, WebP or PNG (APNG) by extension, delays and plays kept', origin: ORIGIN, create: (c, o) => resolveWith(c, AnimatedImageSink, TOKENS.SinkOptions, o) });
}
