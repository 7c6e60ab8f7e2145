import type { LayersModel, WeightTensor } from './layers-model-types.js';

/**
 * The weight `param` (`kernel`, `bias`, `alpha`…) of layer `layer`. Keras names them
 * `layer/param`; some exporters add a scope prefix (`model/layer/param`) or a `:0` suffix.
 */
export function findLayerWeight(model: LayersModel, layer: string, param: string): WeightTensor | undefined {
  const exact = model.weights.get(`${layer}/${param}`) ?? model.weights.get(`${layer}/${param}:0`);
  if (exact) return exact;
  const suffix = `/${layer}/${param}`;
  for (const [name, tensor] of model.weights) {
    const bare = name.endsWith(':0') ? name.slice(0, -2) : name;
    if (bare.endsWith(suffix)) return tensor;
  }
  return undefined;
}
