import type { DedupeContext, Image } from '@upframe/core';
import { psnr8 } from './reference-pixels.js';

/** A frame's 8-bit RGB pixels, as the fidelity check holds them. */
export interface RgbFrame {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface OutputFidelitySettings {
  /** The floor a reused frame's output must keep from its own inference (dB). */
  readonly psnr: number;
  /** Frames judged by inference before the learned lift decides alone; 0 = off. */
  readonly samples: number;
  /** Only frames at most this far under `psnr` are judged; the learned lift is capped here (dB). */
  readonly liftMax: number;
}

/** Safety margin (dB) above the floor for frames judged by the learned lift, not by their outputs. */
export const LIFT_MARGIN_DB = 0.25;

/**
 * Judges held frames whose own pixels are a little further from the reference than the fidelity
 * floor (`psnr`) allows: grain and temporal noise that differ from frame to frame. What must stay
 * within the floor is the reused output against the frame's own inference, and how far two
 * outputs are apart depends on the model: a model that smooths grain brings two noisy frames
 * closer (output PSNR above input PSNR), one that sharpens noise pushes them apart. So the first
 * `samples` such frames are upscaled with their reference by the run's own model; each is reused
 * only if the two outputs are within the floor, and each records its lift (output PSNR minus input
 * PSNR). After that, a frame is reused without inference when its input PSNR plus the smallest
 * lift seen (at most `liftMax`) clears the floor by {@link LIFT_MARGIN_DB}. Decisions depend on the
 * frames and the model only (never on timing), so a run is reproducible; the calls cost
 * `2 × samples` inferences at most per run (the reference's output is kept while it is the reference).
 */
export class OutputFidelity {
  private readonly lifts: number[] = [];
  private reference?: { index: number; output: Image };
  private reusedByLift = 0;

  constructor(
    private readonly infer: NonNullable<DedupeContext['infer']>,
    private readonly o: OutputFidelitySettings,
  ) {}

  /**
   * For a candidate `inputDb` from the reference: true/false, a promise of it while samples are
   * being taken, or undefined when the candidate is too far under the floor to be judged.
   */
  judge(inputDb: number, reference: RgbFrame, candidate: RgbFrame): boolean | Promise<boolean> | undefined {
    if (this.o.samples <= 0 || !(inputDb >= this.o.psnr - this.o.liftMax)) return undefined;
    if (this.lifts.length < this.o.samples) return this.sample(inputDb, reference, candidate);
    const reuse = inputDb + this.lift() >= this.o.psnr + LIFT_MARGIN_DB;
    if (reuse) this.reusedByLift++;
    return reuse;
  }

  /** The lift frames are judged by: the smallest measured, at most `liftMax`. */
  lift(): number {
    return Math.min(this.o.liftMax, ...this.lifts);
  }

  stats(): { samples: number; liftDb: number | null; reused: number } {
    return { samples: this.lifts.length, liftDb: this.lifts.length ? Math.round(this.lift() * 100) / 100 : null, reused: this.reusedByLift };
  }

  private async sample(inputDb: number, reference: RgbFrame, candidate: RgbFrame): Promise<boolean> {
    const kept = this.reference?.index === reference.index ? this.reference.output : undefined;
    const images = kept ? [rgbImage(candidate)] : [rgbImage(reference), rgbImage(candidate)];
    const outputs = await this.infer(images, kept ? [candidate.index] : [reference.index, candidate.index]);
    const referenceOutput = kept ?? outputs[0];
    // The reference's output is copied: a backend may hand out pooled buffers.
    if (!kept) this.reference = { index: reference.index, output: { ...referenceOutput, data: referenceOutput.data.slice() } };
    const outputDb = psnr8(referenceOutput.data, outputs[outputs.length - 1].data);
    this.lifts.push(outputDb - inputDb);
    return outputDb >= this.o.psnr;
  }
}

function rgbImage(frame: RgbFrame): Image {
  return { width: frame.width, height: frame.height, channels: 3, depth: 8, data: frame.data.subarray(0, frame.width * frame.height * 3) };
}
