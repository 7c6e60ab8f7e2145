import { createRequire } from 'node:module';
import type Sharp from 'sharp';

const require = createRequire(import.meta.url);
let loaded: typeof Sharp | undefined;

/**
 * sharp, loaded on first use: video runs never need it, and loading it (its native library and
 * libvips) cost ~0.1 s of every start when this package imported it at the top.
 */
export function loadSharp(): typeof Sharp {
  loaded ??= require('sharp') as typeof Sharp;
  return loaded;
}
