export { main } from './main.js';
export { buildProgram } from './program.js';
export { runUpscale } from './run-upscale.js';
export type { UpscaleRequest } from './run-upscale.js';
