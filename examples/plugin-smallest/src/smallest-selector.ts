import { UpframeError, type FormatChoice, type FormatContext, type FormatSelector, type Image } from '@upframe/core/plugin';
import { LOSSLESS_SETTINGS, type Candidate, type SmallestOptions } from './smallest-options.js';

type Sharp = typeof import('sharp');

/** sharp is imported on first use, not when upframe loads the plugin for a run that writes video. */
async function loadSharp(): Promise<Sharp> {
  return (await import('sharp')).default;
}

/**
 * Encodes the first frame losslessly in each candidate format and keeps the smallest for the
 * whole sequence. Where `auto` predicts the winner from the content, this measures it: slower to
 * decide (one encode per candidate, once), exact for the frame it measured.
 */
export class SmallestSelector implements FormatSelector {
  readonly name = 'smallest';
  private sharp?: Promise<Sharp>;
  private decided?: FormatChoice;
  private frames = 0;

  constructor(private readonly options: SmallestOptions) {}

  async initialize(): Promise<void> {
    await this.encoder();
  }

  async select(image: Image, index: number, context: FormatContext): Promise<FormatChoice> {
    this.decided ??= await this.decide(image, index, context);
    this.frames++;
    return this.decided;
  }

  summary(): string | undefined {
    return this.decided ? `${this.decided.format} for ${this.frames} frame(s): ${this.decided.reason}` : undefined;
  }

  async dispose(): Promise<void> {
    this.sharp = undefined;
  }

  private encoder(): Promise<Sharp> {
    this.sharp ??= loadSharp();
    return this.sharp;
  }

  private async decide(image: Image, index: number, context: FormatContext): Promise<FormatChoice> {
    const tried = this.options.candidates.filter((format) => context.supported.includes(format));
    if (tried.length === 0) {
      throw new UpframeError('USAGE', `smallest: this output writes ${context.supported.join(', ')}, none of the candidates ${this.options.candidates.join(', ')}`, {
        plugin: this.name,
        hint: 'Write to a folder, or name a candidate the output can take with --format-opt candidates=…',
      });
    }
    const sharp = await this.encoder();
    const raw = { width: image.width, height: image.height, channels: image.channels as 1 | 2 | 3 | 4 };
    const sizes: [Candidate, number][] = [];
    // One after another: sizes stay in candidate order, which breaks ties the way the user ordered them.
    for (const format of tried) {
      const encoded = await sharp(image.data, { raw }).toFormat(format, LOSSLESS_SETTINGS[format]).toBuffer();
      sizes.push([format, encoded.length]);
    }
    const [format] = sizes.reduce((best, next) => (next[1] < best[1] ? next : best));
    const measured = sizes.map(([f, bytes]) => `${f} ${bytes} B`).join(', ');
    return { format, lossless: true, options: LOSSLESS_SETTINGS[format], reason: `smallest lossless encoding of frame ${index} (${measured})` };
  }
}
