// Types for draw.mjs (see content.d.mts).
import type { RawImage } from './content.mjs';

export declare function rng(seed: number): () => number;
export declare function canvas(width: number, height: number, rgba: number[]): RawImage;
export declare function circle(img: RawImage, cx: number, cy: number, r: number, rgba: number[]): void;
export declare function rect(img: RawImage, left: number, top: number, w: number, h: number, rgba: number[]): void;
export declare function alphaRamp(img: RawImage, left: number, top: number, w: number, h: number, rgb: number[]): void;
export declare function addNoise(img: RawImage, sigma: number, seed: number): RawImage;
