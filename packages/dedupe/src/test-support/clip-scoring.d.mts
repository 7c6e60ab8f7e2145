export interface ClipScore {
  readonly held: number;
  readonly moving: number;
  readonly found: number;
  readonly recall: number;
  readonly falseDuplicates: number;
  readonly falseRate: number;
}
export function contentGroups(held: readonly boolean[]): number[];
export function score(refs: readonly number[], held: readonly boolean[]): ClipScore;
export function agreement(refs: readonly number[], drops: readonly boolean[]): number;
export function dropsToRefs(drops: readonly boolean[]): number[];
export function framePsnr(a: Uint8Array, b: Uint8Array): number;
export function reusableRecall(refs: readonly number[], held: readonly boolean[], frames: readonly Uint8Array[], minPsnr: number): { reusable: number; found: number; recall: number };
