import { attr, type OnnxGraphBuilder } from '@upframe/model-ncnn';

/** Keras activation names the converter maps to ONNX. */
export const SUPPORTED_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'hard_sigmoid',
  'tanh',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'softmax',
] as const;

/**
 * Appends `activation` applied to `x` (an NCHW value) and returns the result's name, `x` itself
 * for `linear`, or `undefined` when the activation has no mapping.
 */
export function appendActivation(b: OnnxGraphBuilder, x: string, activation: string, base: string): string | undefined {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return b.node('Relu', [x], [], `${base}_relu`);
    case 'relu6':
      return b.node('Clip', [x, b.floats(`${base}_min`, [0], []), b.floats(`${base}_max`, [6], [])], [], `${base}_relu6`);
    case 'sigmoid':
      return b.node('Sigmoid', [x], [], `${base}_sigmoid`);
    case 'hard_sigmoid':
      // tfjs: clip(0.2 * x + 0.5, 0, 1), which is ONNX's default HardSigmoid.
      return b.node('HardSigmoid', [x], [attr.float('alpha', 0.2), attr.float('beta', 0.5)], `${base}_hard_sigmoid`);
    case 'tanh':
      return b.node('Tanh', [x], [], `${base}_tanh`);
    case 'elu':
      return b.node('Elu', [x], [attr.float('alpha', 1)], `${base}_elu`);
    case 'selu':
      return b.node('Selu', [x], [], `${base}_selu`);
    case 'softplus':
      return b.node('Softplus', [x], [], `${base}_softplus`);
    case 'softsign':
      return b.node('Softsign', [x], [], `${base}_softsign`);
    case 'swish':
      return b.node('Mul', [x, b.node('Sigmoid', [x], [], `${base}_sigmoid`)], [], `${base}_swish`);
    case 'mish':
      return b.node('Mul', [x, b.node('Tanh', [b.node('Softplus', [x], [], `${base}_softplus`)], [], `${base}_tanh`)], [], `${base}_mish`);
    case 'softmax':
      // Keras applies it on the last (channel) axis, which is axis 1 in NCHW.
      return b.node('Softmax', [x], [attr.int('axis', 1)], `${base}_softmax`);
    default:
      return undefined;
  }
}
