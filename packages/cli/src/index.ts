export { main, buildProgram } from './main.js';
export { runUpscale } from './run-upscale.js';
export type { UpscaleRequest } from './run-upscale.js';
