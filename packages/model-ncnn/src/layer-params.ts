import { UpframeError } from '@upframe/core';
import type { NcnnLayer } from './ncnn-param.js';

/** Typed reads of a layer's `k=v` parameters, with ncnn's defaults. */
export class LayerParams {
  constructor(
    readonly layer: NcnnLayer,
    readonly file: string,
  ) {}

  has(id: number): boolean {
    return this.layer.params.has(id);
  }

  int(id: number, fallback: number): number {
    const v = this.layer.params.get(id);
    if (v === undefined) return fallback;
    if (typeof v !== 'number') throw this.invalid(`parameter ${id} must be a number, found an array`);
    return Math.trunc(v);
  }

  float(id: number, fallback: number): number {
    const v = this.layer.params.get(id);
    if (v === undefined) return fallback;
    if (typeof v !== 'number') throw this.invalid(`parameter ${id} must be a number, found an array`);
    return v;
  }

  array(id: number): readonly number[] {
    const v = this.layer.params.get(id);
    if (v === undefined) return [];
    return typeof v === 'number' ? [v] : v;
  }

  invalid(why: string): UpframeError {
    return new UpframeError('MODEL_INVALID', `${this.file}:${this.layer.line}: layer ${this.layer.name} (${this.layer.type}): ${why}`, {
      file: this.file,
    });
  }

  /** A setting of a supported op that upframe does not convert (yet). */
  unsupported(what: string): UpframeError {
    return new UpframeError(
      'MODEL_UNSUPPORTED_LAYER',
      `${this.file}:${this.layer.line}: layer ${this.layer.name} (${this.layer.type}): ${what} is not supported by upframe's ncnn importer`,
      { file: this.file, hint: 'Convert the model to ONNX with its original tools (e.g. pnnx) and pass the .onnx to --model.' },
    );
  }
}
