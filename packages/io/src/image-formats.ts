import { extname } from 'node:path';
import type { FormatEnum } from 'sharp';
import { loadSharp } from './sharp-module.js';
import { IMAGE_FORMATS, type FormatChoice, type ImageFormat } from '@upframe/core';

/** File extensions read and written as images, and the format each one means. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, ImageFormat>> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  webp: 'webp',
  tif: 'tiff',
  tiff: 'tiff',
  avif: 'avif',
};

/** Formats that store an alpha channel. */
export const ALPHA_FORMATS: readonly ImageFormat[] = ['png', 'webp', 'tiff', 'avif'];

const CANONICAL_EXTENSION: Readonly<Record<ImageFormat, string>> = { png: 'png', jpeg: 'jpg', webp: 'webp', tiff: 'tiff', avif: 'avif' };

/** The image format a path's extension names, if any. */
export function imageFormatOf(path: string): ImageFormat | undefined {
  return IMAGE_EXTENSIONS[extname(path).slice(1).toLowerCase()];
}

/** Extension to write `format` with; keeps `preferred` (the input's spelling, e.g. `.jpeg`) when it names the same format. */
export function extensionFor(format: ImageFormat, preferred?: string): string {
  const ext = preferred?.replace(/^\./, '');
  return ext && IMAGE_EXTENSIONS[ext.toLowerCase()] === format ? ext : CANONICAL_EXTENSION[format];
}

/** Formats this sharp build can write (AVIF needs libheif with an AV1 encoder). */
export function writableImageFormats(): ImageFormat[] {
  // Partial: a sharp build without a codec may leave its entry out.
  const formats: Partial<FormatEnum> = loadSharp().format;
  return IMAGE_FORMATS.filter((f) => (f === 'avif' ? formats.heif : formats[f])?.output?.file);
}

/** What a sink writes when no format selector is configured. */
export function defaultFormatChoice(format: ImageFormat = 'png', reason = 'default (no format selector configured)'): FormatChoice {
  return { format, lossless: format !== 'jpeg', options: {}, reason };
}
