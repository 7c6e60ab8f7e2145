import { attr, type OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { LayerParams } from './layer-params.js';

/** ncnn's fused `activation_type` (param 9) with its `activation_params` (param 10), as ONNX nodes after `x`. */
export function emitFusedActivation(b: OnnxGraphBuilder, p: LayerParams, x: string): string {
  const type = p.int(9, 0);
  const a = p.array(10);
  const name = p.layer.name;
  switch (type) {
    case 0:
      return x;
    case 1:
      return b.node('Relu', [x], [], name);
    case 2:
      return b.node('LeakyRelu', [x], [attr.float('alpha', a[0] ?? 0)], name);
    case 3:
      return b.node('Clip', [x, b.floats(`${name}_min`, [a[0] ?? -Infinity], []), b.floats(`${name}_max`, [a[1] ?? Infinity], [])], [], name);
    case 4:
      return b.node('Sigmoid', [x], [], name);
    case 5:
      return b.node('Mul', [x, b.node('Tanh', [b.node('Softplus', [x])])], [], name);
    case 6: {
      const gate = b.node('HardSigmoid', [x], [attr.float('alpha', a[0] ?? 0.2), attr.float('beta', a[1] ?? 0.5)]);
      return b.node('Mul', [x, gate], [], name);
    }
    default:
      throw p.unsupported(`activation_type ${type}`);
  }
}
