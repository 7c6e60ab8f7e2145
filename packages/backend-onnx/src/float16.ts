/** IEEE 754 half precision, for models whose input or output tensors are float16. */
export { float32ToFloat16Bits } from '@upframe/model-ncnn';

/** Half → float; one decoder for the repo (TF.js weights use it too). */
export { float16BitsToNumber as float16BitsToFloat32 } from '@upframe/models';
