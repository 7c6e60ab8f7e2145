// Types for content.mjs, so the TypeScript tests can share the benchmark's generators.
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export interface ContentSequence {
  name: string;
  description: string;
  frames: RawImage[];
  sourceBitDepth: number;
}

export type ContentClassName = 'flat' | 'synthetic' | 'photo' | 'noisy' | 'alpha' | 'hbd';

export declare const CONTENT_CLASSES: ContentClassName[];
export declare const PHOTO_ASSETS: string[];
export declare function generateClass(name: ContentClassName, options?: { width?: number; height?: number; frames?: number }): Promise<ContentSequence>;
export declare function flatFrame(width: number, height: number, t: number, bg?: number[]): RawImage;
