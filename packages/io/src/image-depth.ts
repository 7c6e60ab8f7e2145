import type { ImageFormat, SinkOpenInfo } from '@upframe/core';
import { sampleDepthOf } from '@upframe/core';
import { formatKeeps16Bits } from './image-codec.js';

/** What an image output stores for frames of this sink, for the report. */
export function storedImageDepth(info: SinkOpenInfo, format: ImageFormat): { bitDepth: number; chroma: string; pixelFormat: string } {
  const deep = sampleDepthOf(info.layout) === 16 && formatKeeps16Bits(format);
  return { bitDepth: deep ? 16 : 8, chroma: 'rgb', pixelFormat: `${format} ${deep ? 16 : 8}-bit` };
}

/** The warning for a deep source written into a format that stores 8 bits, or undefined when nothing is reduced. */
export function imageDepthWarning(info: SinkOpenInfo, format: ImageFormat, output: string): string | undefined {
  if (sampleDepthOf(info.layout) !== 16 || formatKeeps16Bits(format)) return undefined;
  const bits = info.source.bitDepth && info.source.bitDepth > 8 ? `${info.source.bitDepth}-bit` : '16-bit';
  return `${info.source.path} is ${bits}, but ${format} stores 8 bits per sample: ${output} is reduced to 8 bits; write .png or .tiff (or --format png) to keep the depth`;
}
