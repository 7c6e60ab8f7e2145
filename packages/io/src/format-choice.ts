import type { FormatChoice, FormatContext, FormatSelector, Image, ImageFormat } from '@upframe/core';
import { defaultFormatChoice } from './image-formats.js';

/**
 * Ask the selector (if any) for a frame's format. A format the user fixed (single-image extension)
 * wins over the selector's pick; a pick outside `context.supported` is replaced by png, with a note.
 */
export async function chooseFormat(
  selector: FormatSelector | undefined,
  image: Image,
  index: number,
  context: FormatContext,
  fixed?: ImageFormat,
): Promise<{ choice: FormatChoice; note?: string }> {
  if (!selector) return { choice: fixed ? defaultFormatChoice(fixed, 'named by the output extension') : defaultFormatChoice() };
  const picked = await selector.select(image, index, context);
  if (fixed && picked.format !== fixed) {
    return {
      choice: defaultFormatChoice(fixed, 'named by the output extension'),
      note: `format selector "${selector.name}" picked ${picked.format}, but the output extension asks for ${fixed}; wrote ${fixed}`,
    };
  }
  if (!context.supported.includes(picked.format)) {
    return {
      choice: defaultFormatChoice('png', `fallback: ${picked.format} cannot be written here`),
      note: `format selector "${selector.name}" picked ${picked.format}, which this sink cannot write; wrote png`,
    };
  }
  return { choice: picked };
}
