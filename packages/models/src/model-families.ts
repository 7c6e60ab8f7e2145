/**
 * The model families upframe ships a catalog for, and what each one expects.
 *
 * Value ranges come from the packages' own model definitions
 * (`dist/esm/packages/shared/src/esrgan/esrgan.js`): an `rdn` architecture (slim, medium)
 * declares `inputRange: [0, 255]`, every other one (thick is `rrdn`) declares `[0, 1]`.
 * `model-families.test.ts` re-reads those sources so a package update cannot silently change them.
 */

export const MODEL_FAMILIES = ['esrgan-slim', 'esrgan-medium', 'esrgan-thick'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

export const MODEL_SCALES = [2, 3, 4] as const;
export type ModelScale = (typeof MODEL_SCALES)[number];

/** Inclusive value range of a model's input or output tensor, e.g. `[0, 255]`. */
export type ValueRange = readonly [number, number];

export interface ModelFamilyInfo {
  readonly family: ModelFamily;
  /** npm package holding the weights. */
  readonly packageName: string;
  readonly packageVersion: string;
  /** Architecture named in the package's model definition (`rdn`, `rrdn`). */
  readonly architecture: 'rdn' | 'rrdn';
  readonly inputRange: ValueRange;
  readonly outputRange: ValueRange;
  readonly description: string;
}

export const MODEL_FAMILY_INFO: Readonly<Record<ModelFamily, ModelFamilyInfo>> = {
  'esrgan-slim': {
    family: 'esrgan-slim',
    packageName: '@upscalerjs/esrgan-slim',
    packageVersion: '1.0.0',
    architecture: 'rdn',
    inputRange: [0, 255],
    outputRange: [0, 255],
    description: 'ESRGAN slim (RDN, 2 dense blocks): fastest, softest',
  },
  'esrgan-medium': {
    family: 'esrgan-medium',
    packageName: '@upscalerjs/esrgan-medium',
    packageVersion: '1.0.0',
    architecture: 'rdn',
    inputRange: [0, 255],
    outputRange: [0, 255],
    description: 'ESRGAN medium (RDN, 10 dense blocks): balanced',
  },
  'esrgan-thick': {
    family: 'esrgan-thick',
    packageName: '@upscalerjs/esrgan-thick',
    packageVersion: '1.0.0',
    architecture: 'rrdn',
    inputRange: [0, 1],
    outputRange: [0, 1],
    description: 'ESRGAN thick (RRDN, GAN-trained): sharpest, slowest, ~115 MB',
  },
};
