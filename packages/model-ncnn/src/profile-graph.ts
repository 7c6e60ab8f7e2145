import { UpframeError } from '@upframe/core';
import { attr, type OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { Geometry } from './ncnn-shapes.js';
import type { NcnnProfile } from './ncnn-profiles.js';

/**
 * The tool's border handling as ONNX nodes, so the converted graph is a plain image → image model:
 * pad by `pad` (reflect or edge) plus the alignment remainder at right and bottom, computed from the
 * input's shape at run time.
 */
export function emitProfileInput(b: OnnxGraphBuilder, x: string, profile: NcnnProfile): string {
  const { pad, alignment: a } = profile;
  const hw = b.node('Slice', [b.node('Shape', [x]), b.int64s('hw_start', [2]), b.int64s('hw_end', [4])], [], 'input_hw');
  const a64 = b.int64s('alignment', [a]);
  const extra = b.node('Mod', [b.node('Sub', [a64, b.node('Mod', [hw, a64])]), a64]);
  const ends = b.node('Add', [extra, b.int64s('pad_end', [pad])]);
  const pads = b.node('Concat', [b.int64s('pads_begin', [0, 0, pad, pad, 0, 0]), ends], [attr.int('axis', 0)]);
  return b.node('Pad', [x, pads], [attr.string('mode', profile.padMode === 'reflect' ? 'reflect' : 'edge')], 'input_padded');
}

/**
 * Cuts the frame's `scale·H`×`scale·W` out of the model output (after the shrink the graph already
 * did) and, for residual models, adds the nearest-upscaled input.
 */
export function emitProfileOutput(b: OnnxGraphBuilder, y: string, input: string, profile: NcnnProfile, geometry: Geometry, file: string): string {
  const s = profile.scale;
  const offset = s * profile.pad - geometry.shrink / 2;
  if (geometry.scale !== s || !Number.isInteger(offset) || offset < 0) {
    throw new UpframeError(
      'MODEL_INPUT_MISMATCH',
      `${file}: the profile ${profile.id} (×${s}, ${profile.pad} px border) does not fit the graph (×${geometry.scale}, border shrink ${geometry.shrink} px)`,
      { file, hint: 'Pick the matching profile with --model-profile, or keep the file names the tools use.' },
    );
  }
  const hw = b.node('Slice', [b.node('Shape', [input]), b.int64s('out_hw_start', [2]), b.int64s('out_hw_end', [4])]);
  const off = b.int64s('frame_offset', [offset, offset]);
  const ends = b.node('Add', [b.node('Mul', [hw, b.int64s('frame_scale', [s])]), off]);
  let out = b.node('Slice', [y, off, ends, b.int64s('frame_axes', [2, 3])], [], 'frame');
  if (profile.residual === 'nearest') {
    const up = b.node(
      'Resize',
      [input, '', b.floats('residual_scales', [1, 1, s, s])],
      [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')],
    );
    out = b.node('Add', [out, up], [], 'frame_residual');
  }
  return out;
}
