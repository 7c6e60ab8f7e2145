import type { EncoderSettings, VideoContainer } from './encoder-args.js';
import type { StreamSummary } from './video-probe.js';

/** Audio codecs each container takes as they are; anything else is transcoded. */
const AUDIO_COPY: Record<VideoContainer, (codec: string) => boolean> = {
  mp4: (c) => ['aac', 'mp3', 'ac3', 'eac3', 'alac', 'mp2'].includes(c),
  mov: (c) => ['aac', 'mp3', 'ac3', 'eac3', 'alac', 'mp2'].includes(c) || c.startsWith('pcm_'),
  mkv: () => true,
  webm: (c) => c === 'opus' || c === 'vorbis',
};
const AUDIO_FALLBACK: Record<VideoContainer, string[]> = {
  mp4: ['aac', '192k'],
  mov: ['aac', '192k'],
  mkv: ['aac', '192k'],
  webm: ['libopus', '160k'],
};

const TEXT_SUBTITLES = ['subrip', 'srt', 'ass', 'ssa', 'mov_text', 'webvtt', 'text'];

/** What to do with one subtitle stream: copy, convert to a codec, or drop. */
function subtitlePlan(container: VideoContainer, codec: string): 'copy' | 'drop' | string {
  const text = TEXT_SUBTITLES.includes(codec);
  switch (container) {
    case 'mp4':
    case 'mov':
      return codec === 'mov_text' ? 'copy' : text ? 'mov_text' : 'drop';
    case 'webm':
      return codec === 'webvtt' ? 'copy' : text ? 'webvtt' : 'drop';
    case 'mkv':
      return codec === 'mov_text' ? 'srt' : 'copy';
  }
}

function describe(stream: StreamSummary): string {
  return `#${stream.index} ${stream.codec}${stream.language ? ` (${stream.language})` : ''}`;
}

/**
 * Cover art, attachments and data streams: kept where the container holds them (cover art in
 * MP4 as `attached_pic`, attachments in Matroska), else dropped with a warning naming a container
 * that keeps them. ffmpeg's Matroska muxer would write cover art as a one-frame video track, which
 * players show as a second video, so it is not offered there.
 */
function extraStreamArgs(
  container: VideoContainer,
  streams: { pictures?: readonly StreamSummary[]; attachments?: readonly StreamSummary[]; dataStreams?: readonly StreamSummary[] },
  input: number,
): { args: string[]; warnings: string[] } {
  const args: string[] = [];
  const warnings: string[] = [];
  (streams.pictures ?? []).forEach((stream, i) => {
    if (container === 'mp4') {
      // Output video stream 0 is the upscaled one; pictures follow it.
      args.push('-map', `${input}:${stream.index}`, `-c:v:${i + 1}`, 'copy', `-disposition:v:${i + 1}`, 'attached_pic');
    } else {
      warnings.push(`cover art ${describe(stream)} dropped: ffmpeg cannot store it as a picture in ${container}; write .mp4 to keep it`);
    }
  });
  for (const stream of streams.attachments ?? []) {
    if (container === 'mkv') args.push('-map', `${input}:${stream.index}`);
    else warnings.push(`attachment ${describe(stream)}${stream.title ? ` "${stream.title}"` : ''} dropped: ${container} cannot hold attachments; write .mkv to keep it`);
  }
  for (const stream of streams.dataStreams ?? []) {
    warnings.push(`data stream ${describe(stream)} dropped: it is tied to the original video's frames and cannot be copied into the upscaled ${container}`);
  }
  if ((streams.attachments ?? []).length && container === 'mkv') args.push('-c:t', 'copy');
  return { args, warnings };
}

/**
 * `-map`/`-c` arguments that carry the original file's audio and subtitles (input `input`) into the
 * output: copied where the container allows, transcoded or converted where it does not, dropped
 * with a note where no conversion exists (bitmap subtitles into MP4/WebM).
 */
export function streamMapArgs(
  container: VideoContainer,
  streams: { audio: readonly StreamSummary[]; subtitles: readonly StreamSummary[]; pictures?: readonly StreamSummary[]; attachments?: readonly StreamSummary[]; dataStreams?: readonly StreamSummary[] },
  settings: Pick<EncoderSettings, 'audio' | 'subtitles'>,
  input = 1,
): { args: string[]; notes: string[]; warnings: string[] } {
  const args: string[] = [];
  const notes: string[] = [];
  /** Notes about losses or changes the user did not ask for. */
  const warnings: string[] = [];
  if (settings.audio) {
    streams.audio.forEach((stream, i) => {
      args.push('-map', `${input}:${stream.index}`);
      if (AUDIO_COPY[container](stream.codec)) {
        args.push(`-c:a:${i}`, 'copy');
      } else {
        const [codec, bitrate] = AUDIO_FALLBACK[container];
        args.push(`-c:a:${i}`, codec, `-b:a:${i}`, bitrate);
        warnings.push(`audio ${describe(stream)} re-encoded to ${codec}: ${container} cannot hold ${stream.codec}`);
      }
    });
  } else if (streams.audio.length) {
    notes.push(`audio left out as requested (${streams.audio.length} stream(s))`);
  }
  if (settings.subtitles) {
    let out = 0;
    for (const stream of streams.subtitles) {
      const plan = subtitlePlan(container, stream.codec);
      if (plan === 'drop') {
        warnings.push(`subtitle ${describe(stream)} dropped: ${container} has no way to store ${stream.codec} (bitmap) subtitles; use .mkv to keep them`);
        continue;
      }
      args.push('-map', `${input}:${stream.index}`, `-c:s:${out++}`, plan);
      if (plan !== 'copy') notes.push(`subtitle ${describe(stream)} converted to ${plan} for ${container}`);
    }
  } else if (streams.subtitles.length) {
    notes.push(`subtitles left out as requested (${streams.subtitles.length} stream(s))`);
  }
  const extra = extraStreamArgs(container, streams, input);
  args.push(...extra.args);
  warnings.push(...extra.warnings);
  return { args, notes: [...notes, ...warnings], warnings };
}
