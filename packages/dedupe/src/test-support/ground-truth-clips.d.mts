export const CLIP_WIDTH: number;
export const CLIP_HEIGHT: number;
export const CLIP_FPS: number;
export const CLIP_FRAMES: number;

export type ClipKind = 'animation' | 'pan' | 'fade' | 'static-noise' | 'cuts' | 'noisy-animation';

export interface ClipSpec {
  readonly name: string;
  readonly kind: ClipKind;
  readonly content: string;
  readonly distort?: string;
  readonly encoding: { readonly label: string; readonly args: readonly string[] };
}

export interface LoadedClip {
  readonly spec: ClipSpec;
  readonly file: string;
  readonly frames: Uint8Array[];
  /** held[i]: content frame i equals frame i - 1 (known from construction). */
  readonly held: boolean[];
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

export const CLIP_SPECS: readonly ClipSpec[];
export function clipSpec(name: string): ClipSpec;
export function groundTruth(spec: ClipSpec): Promise<boolean[]>;
export function encodeClip(spec: ClipSpec, dir: string): Promise<string>;
export function decodeClip(file: string): Promise<Uint8Array[]>;
export function mpdecimateDrops(file: string): Promise<boolean[]>;
export function loadClip(spec: ClipSpec, dir: string): Promise<LoadedClip>;
