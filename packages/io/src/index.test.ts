import { describe, expect, it } from 'vitest';
import { createMemoryLogger, createUpframeContainer, TOKENS } from '@upframe/core';
import { FfmpegSink, FfmpegSource, ImageSink, ImageSource, register, SequenceSink, SequenceSource } from './index.js';

describe('register', () => {
  it('adds video, image and sequence sources and sinks that resolve with their options', async () => {
    const logger = createMemoryLogger();
    const container = createUpframeContainer({ logger });
    register(container);
    const sources = container.resolve(TOKENS.Sources);
    const sinks = container.resolve(TOKENS.Sinks);
    expect(sources.names()).toEqual(['animation', 'image', 'sequence', 'video']);
    expect(sinks.names()).toEqual(['animation', 'image', 'sequence', 'video']);
    expect(sources.list().every((e) => e.origin === '@upframe/io')).toBe(true);
    expect(sources.create(container, 'video', { input: 'a.mp4' })).toBeInstanceOf(FfmpegSource);
    expect(sources.create(container, 'image', { input: 'a.png' })).toBeInstanceOf(ImageSource);
    expect(sources.create(container, 'sequence', { input: 'frames' })).toBeInstanceOf(SequenceSource);
    expect(sinks.create(container, 'video', { output: 'b.mp4' })).toBeInstanceOf(FfmpegSink);
    expect(sinks.create(container, 'image', { output: 'b.png' })).toBeInstanceOf(ImageSink);
    expect(sinks.create(container, 'sequence', { output: 'out' })).toBeInstanceOf(SequenceSink);
    // Options reach the instance: opening a missing input fails naming it.
    await expect(sources.create(container, 'video', { input: '/nonexistent/a.mp4' }).open()).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND', file: '/nonexistent/a.mp4' });
  });

  it('keeps registrations inside the container they were made in', () => {
    const a = createUpframeContainer({ logger: createMemoryLogger() });
    const b = createUpframeContainer({ logger: createMemoryLogger() });
    register(a);
    expect(b.resolve(TOKENS.Sources).names()).toEqual([]);
  });
});
