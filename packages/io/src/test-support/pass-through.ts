import { createMemoryLogger, type SinkResult } from '@upframe/core';
import { FfmpegSink } from '../ffmpeg-sink.js';
import { FfmpegSource } from '../ffmpeg-source.js';

/** Source → sink with scale 1 and no backend: what the pipeline does, minus the upscaling. */
export async function passThrough(
  input: string,
  output: string,
  extra: Record<string, unknown> = {},
  sinkOptions: { overwrite?: boolean; extra?: Record<string, unknown> } = {},
): Promise<SinkResult & { logger: ReturnType<typeof createMemoryLogger> }> {
  const logger = createMemoryLogger();
  const source = new FfmpegSource({ input, extra }, logger);
  const sink = new FfmpegSink({ output, overwrite: sinkOptions.overwrite, extra: { ...extra, ...sinkOptions.extra } }, logger);
  try {
    const info = await source.open();
    await sink.open({ source: info, width: info.width, height: info.height, layout: info.layout });
    for await (const frame of source.frames()) await sink.write(frame);
    return { ...(await sink.close()), logger };
  } catch (error) {
    await sink.abort(error);
    throw error;
  } finally {
    await Promise.all([source.dispose(), sink.dispose()]);
  }
}
