import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryLogger,
  PipelineRunError,
  runPipeline,
  UpframeError,
  type FormatChoice,
  type FormatSelector,
  type FrameSink,
  type FrameSource,
  type Image,
  type InferenceBackend,
} from '@upframe/core';
import { FfmpegSink } from './ffmpeg-sink.js';
import { ImageSink } from './image-sink.js';
import { ImageSource } from './image-source.js';
import { SequenceSink } from './sequence-sink.js';
import { SequenceSource } from './sequence-source.js';
import { tempDir } from './test-support/fixtures.js';
import { writeImage } from './test-support/images.js';

// The selector belongs to the sink it is handed to, as the sink belongs to the pipeline: these runs
// go through runPipeline with the real sinks, and count what reaches the selector.

let dir: string;
let cleanup: () => Promise<void>;
let sequence: string;
let still: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  sequence = join(dir, 'frames');
  await mkdir(sequence);
  for (const n of [1, 2, 3]) await writeImage(join(sequence, `frame_000${n}.png`), 8, 6, { seed: n });
  still = join(dir, 'still.png');
  await writeImage(still, 8, 6);
});
afterAll(() => cleanup());

/** A png selector that logs every lifecycle call and selection, in order. */
function recordingSelector(): FormatSelector & { events: string[]; count: (event: string) => number } {
  const events: string[] = [];
  return {
    name: 'recording',
    events,
    count: (event) => events.filter((e) => e === event).length,
    async initialize() {
      events.push('initialize');
    },
    select(_image: Image, index: number): FormatChoice {
      events.push(`select ${index}`);
      return { format: 'png', lossless: true, options: {}, reason: 'test' };
    },
    summary: () => 'png for the test',
    async dispose() {
      events.push('dispose');
    },
  };
}

/** Scale 1, or a failure at the first batch. */
function identityBackend(failRun = false): InferenceBackend {
  return {
    name: 'identity',
    scale: 1,
    capabilities: () => ({ devices: ['cpu'], modelFormats: ['test'], maxBatch: 4 }),
    initialize: async () => {},
    info: () => ({ device: 'cpu', provider: 'test', model: { id: 'identity', scale: 1 }, warnings: [] }),
    run: async (images) => {
      if (failRun) throw new UpframeError('INTERNAL', 'backend broke on purpose');
      return images.map((image) => ({ ...image, data: Uint8Array.from(image.data) }));
    },
    dispose: async () => {},
  };
}

function run(source: FrameSource, sink: FrameSink, failRun = false) {
  return runPipeline({ source, sink, backend: identityBackend(failRun), batch: 1, tile: 'off', logger: createMemoryLogger() });
}

describe('a sink owns the format selector it is given', () => {
  it('sequence sink: initialize once before the first select, dispose once after the last', async () => {
    const selector = recordingSelector();
    const logger = createMemoryLogger();
    const sink = new SequenceSink({ output: join(dir, 'sequence-out'), formatSelector: selector }, logger);
    await run(new SequenceSource({ input: sequence }, logger), sink);
    expect(selector.events).toEqual(['initialize', 'select 0', 'select 1', 'select 2', 'dispose']);
    // The pipeline has disposed the sink already; a second dispose does not reach the selector again.
    await sink.dispose();
    expect(selector.count('dispose')).toBe(1);
  });

  it('image sink: initialize once, dispose once', async () => {
    const selector = recordingSelector();
    const logger = createMemoryLogger();
    await run(new ImageSource({ input: still }, logger), new ImageSink({ output: join(dir, 'image-out'), formatSelector: selector }, logger));
    expect(selector.events).toEqual(['initialize', 'select 0', 'dispose']);
  });

  it('disposes the selector once when the run fails after open()', async () => {
    const selector = recordingSelector();
    const logger = createMemoryLogger();
    const failed = await run(new SequenceSource({ input: sequence }, logger), new SequenceSink({ output: join(dir, 'failed-out'), formatSelector: selector }, logger), true).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PipelineRunError);
    expect(selector.events).toEqual(['initialize', 'dispose']);
  });

  it('disposes a selector it never initialized when open() refuses the output', async () => {
    const taken = join(dir, 'taken.png');
    await writeFile(taken, 'not ours');
    const selector = recordingSelector();
    const logger = createMemoryLogger();
    const failed = await run(new ImageSource({ input: still }, logger), new ImageSink({ output: taken, formatSelector: selector }, logger)).catch((e: unknown) => e);
    expect((failed as PipelineRunError).original.cause).toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(selector.events).toEqual(['dispose']);
  });

  it('video sink: never selects, so never initializes, but still disposes once', async () => {
    const selector = recordingSelector();
    const sink = new FfmpegSink({ output: join(dir, 'never.mp4'), formatSelector: selector }, createMemoryLogger());
    await sink.dispose();
    await sink.dispose();
    expect(selector.events).toEqual(['dispose']);
  });

  it('a dispose during a slow initialize waits for it; one before it stops it', async () => {
    let started!: () => void;
    const initializing = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const events: string[] = [];
    const selector: FormatSelector = {
      name: 'slow',
      initialize: () => {
        started();
        return new Promise<void>((resolve) => (release = () => (events.push('initialized'), resolve())));
      },
      select: () => ({ format: 'png', lossless: true, options: {}, reason: 'test' }),
      dispose: async () => void events.push('dispose'),
    };
    const logger = createMemoryLogger();
    const info = await new SequenceSource({ input: sequence }, logger).open();
    const openInfo = { source: info, width: info.width, height: info.height, layout: info.layout };
    const sink = new SequenceSink({ output: join(dir, 'slow-out'), formatSelector: selector }, logger);
    const opening = sink.open(openInfo);
    await initializing;
    const disposing = sink.dispose();
    release();
    await Promise.all([opening, disposing]);
    expect(events).toEqual(['initialized', 'dispose']);

    const late = recordingSelector();
    const disposed = new SequenceSink({ output: join(dir, 'late-out'), formatSelector: late }, logger);
    await disposed.dispose();
    await expect(disposed.open(openInfo)).rejects.toMatchObject({ code: 'USAGE' });
    expect(late.events).toEqual(['dispose']);
  });
});
