import type { SourceInfo } from './contracts/frame-source.js';
import { layoutOf, sampleDepthOf, channelsOf, type Frame, type SampleDepth } from './frame.js';
import { toDepth8 } from './sample-depth.js';

/** A stage that may declare the sample depths it takes (backends, dedupe strategies, sinks). */
export interface DepthAware {
  readonly name: string;
  readonly sampleDepths?: readonly SampleDepth[];
}

/** Whether the stage takes 16-bit samples (undeclared means 8-bit only). */
export function takes16(stage: { readonly sampleDepths?: readonly SampleDepth[] } | undefined): boolean {
  return stage?.sampleDepths?.includes(16) ?? false;
}

/** The frame with 16-bit samples rounded to 8 bits (a copy), or the frame itself when it is 8-bit. */
export function frameAt8(frame: Frame): Frame {
  if (sampleDepthOf(frame.layout) === 8) return frame;
  const c = channelsOf(frame.layout);
  const image = toDepth8({ width: frame.width, height: frame.height, channels: c, depth: 16, data: frame.data });
  return { ...frame, layout: layoutOf(c), data: image.data };
}

/**
 * Warnings for a 16-bit source passing a stage that takes only 8-bit samples: what is rounded,
 * where, and what keeps it. Empty for an 8-bit source or when every stage takes 16 bits.
 */
export function depthWarnings(info: SourceInfo, stages: { backend: DepthAware; dedupe?: DepthAware; sink: DepthAware }): string[] {
  if (sampleDepthOf(info.layout) !== 16) return [];
  const bits = info.bitDepth && info.bitDepth > 8 ? `${info.bitDepth}-bit` : 'high bit depth';
  const out: string[] = [];
  if (!takes16(stages.backend)) out.push(`backend ${stages.backend.name} takes 8-bit images only: the ${bits} frames of ${info.path} are rounded to 8 bits before the model (use a backend that takes 16-bit samples, such as onnx or tfjs, to keep the depth)`);
  if (stages.dedupe && !takes16(stages.dedupe)) out.push(`dedupe ${stages.dedupe.name} compares 8-bit copies of the ${bits} frames: frames that differ only below 8 bits count as duplicates (--dedupe off compares nothing)`);
  if (!takes16(stages.sink)) out.push(`sink ${stages.sink.name} writes 8-bit frames only: the ${bits} output is reduced to 8 bits`);
  return out;
}
