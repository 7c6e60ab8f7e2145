import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { UpframeError } from '@upframe/core';
import { runTool } from './child-process.js';
import { toolAnswers } from './tool-answers.js';
import { describeVersion, parseFfmpegVersion, versionAtLeast, type FfmpegVersion } from './ffmpeg-version.js';

export const BINARY_ORIGINS = ['option', 'env', 'path', 'bundled'] as const;
/** Where a binary came from: an explicit option, FFMPEG_PATH/FFPROBE_PATH, the PATH, or the npm installer package. */
export type BinaryOrigin = (typeof BINARY_ORIGINS)[number];

export interface ToolBinary {
  readonly tool: 'ffmpeg' | 'ffprobe';
  readonly path: string;
  readonly origin: BinaryOrigin;
  readonly version: FfmpegVersion;
}

export interface FfmpegBinaries {
  readonly ffmpeg: ToolBinary;
  readonly ffprobe: ToolBinary;
}

export interface ResolveBinariesOptions {
  /** Explicit paths; they win over the environment. */
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
  /** Environment to read FFMPEG_PATH, FFPROBE_PATH and PATH from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

const TOOLS = {
  ffmpeg: { envVar: 'FFMPEG_PATH', installer: '@ffmpeg-installer/ffmpeg' },
  ffprobe: { envVar: 'FFPROBE_PATH', installer: '@ffprobe-installer/ffprobe' },
} as const;

const require = createRequire(import.meta.url);
const versionCache = new Map<string, Promise<FfmpegVersion>>();

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutableFile(join(dir, exe))) return join(dir, exe);
  }
  return undefined;
}

function bundledPath(tool: 'ffmpeg' | 'ffprobe'): string | undefined {
  try {
    const path = (require(TOOLS[tool].installer) as { path?: string }).path;
    if (!path) return undefined;
    // npm does not always keep the exec bit (the ffprobe package ships 0744): restore it if we may.
    try {
      accessSync(path, constants.X_OK);
    } catch {
      try {
        chmodSync(path, statSync(path).mode | 0o111);
      } catch {
        // Read-only install: the run will fail later with FFMPEG_NOT_FOUND naming this path.
      }
    }
    return path;
  } catch {
    return undefined;
  }
}

function locate(tool: 'ffmpeg' | 'ffprobe', explicit: string | undefined, env: NodeJS.ProcessEnv): { path: string; origin: BinaryOrigin } {
  const { envVar } = TOOLS[tool];
  const hint = `Install a current ffmpeg (https://ffmpeg.org/download.html) so ${tool} is on the PATH, or set ${envVar} to its full path.`;
  if (explicit) {
    if (!isExecutableFile(explicit)) throw new UpframeError('FFMPEG_NOT_FOUND', `${tool} path "${explicit}" is not an executable file`, { file: explicit, hint });
    return { path: explicit, origin: 'option' };
  }
  const fromEnv = env[envVar];
  if (fromEnv) {
    if (!isExecutableFile(fromEnv)) throw new UpframeError('FFMPEG_NOT_FOUND', `${envVar}="${fromEnv}" is not an executable file`, { file: fromEnv, hint });
    return { path: fromEnv, origin: 'env' };
  }
  const onPath = findOnPath(tool, env);
  if (onPath) return { path: onPath, origin: 'path' };
  const bundled = bundledPath(tool);
  if (bundled && isExecutableFile(bundled)) return { path: bundled, origin: 'bundled' };
  throw new UpframeError('FFMPEG_NOT_FOUND', `${tool} not found: ${envVar} is unset, it is not on the PATH, and ${TOOLS[tool].installer} is not usable`, { hint });
}

async function readVersion(tool: 'ffmpeg' | 'ffprobe', path: string): Promise<FfmpegVersion> {
  let cached = versionCache.get(path);
  if (!cached) {
    cached = (async () => {
      const question = ['-hide_banner', '-version'];
      const remembered = toolAnswers().get(path, question);
      const known = remembered === undefined ? undefined : parseFfmpegVersion(remembered);
      if (known) return known;
      const result = await runTool(path, question, { timeoutMs: 15_000 });
      const version = result.code === 0 ? parseFfmpegVersion(result.stdout) : undefined;
      if (version) toolAnswers().set(path, question, result.stdout);
      if (!version) {
        const why = result.spawnError?.message ?? (result.stderr || `exit code ${result.code}`);
        throw new UpframeError('FFMPEG_NOT_FOUND', `"${path}" does not run as ${tool}: ${why}`, { file: path });
      }
      return version;
    })();
    versionCache.set(path, cached);
    cached.catch(() => versionCache.delete(path));
  }
  return cached;
}

/** Find ffmpeg and ffprobe (option → FFMPEG_PATH/FFPROBE_PATH → PATH → bundled) and read their versions. */
export async function resolveFfmpegBinaries(options: ResolveBinariesOptions = {}): Promise<FfmpegBinaries> {
  const env = options.env ?? process.env;
  const resolveOne = async (tool: 'ffmpeg' | 'ffprobe', explicit?: string): Promise<ToolBinary> => {
    const found = locate(tool, explicit, env);
    return { tool, ...found, version: await readVersion(tool, found.path) };
  };
  const [ffmpeg, ffprobe] = await Promise.all([resolveOne('ffmpeg', options.ffmpegPath), resolveOne('ffprobe', options.ffprobePath)]);
  return { ffmpeg, ffprobe };
}

/** One line for reports: which binaries are used and where they came from. */
export function describeBinaries(binaries: FfmpegBinaries): string {
  const one = (b: ToolBinary) => `${b.tool} ${describeVersion(b.version)} from ${b.origin} (${b.path})`;
  return `${one(binaries.ffmpeg)}; ${one(binaries.ffprobe)}`;
}

/**
 * A warning for decoding untrusted media with an old ffmpeg: demuxers and decoders are the usual
 * place for memory-safety bugs, and the bundled static build dates from 2018. Undefined when the
 * decoder is a current release.
 */
export function decoderSecurityWarning(ffmpeg: ToolBinary): string | undefined {
  const what = `ffmpeg ${describeVersion(ffmpeg.version)}`;
  const fix = 'Install a current ffmpeg (your package manager or https://ffmpeg.org/download.html) or set FFMPEG_PATH to one.';
  if (ffmpeg.origin === 'bundled') {
    return `decoding with the bundled ${what}, an old build with known security fixes missing; do not feed it untrusted media. ${fix}`;
  }
  if (!versionAtLeast(ffmpeg.version, 5, 0)) {
    return `decoding with ${what}, which is old and misses years of decoder security fixes; do not feed it untrusted media. ${fix}`;
  }
  return undefined;
}

/** The ffmpeg setup in plain terms, for `upframe backends` and reports. */
export interface FfmpegDescription {
  readonly ffmpeg: { readonly path: string; readonly version: string; readonly source: BinaryOrigin };
  readonly ffprobe: { readonly path: string; readonly version: string; readonly source: BinaryOrigin };
  readonly warnings: readonly string[];
}

/** Resolve the binaries and describe them, with the warnings a user should see. */
export async function describeFfmpeg(options: ResolveBinariesOptions = {}): Promise<FfmpegDescription> {
  const binaries = await resolveFfmpegBinaries(options);
  const one = (b: ToolBinary) => ({ path: b.path, version: describeVersion(b.version), source: b.origin });
  const warnings = [decoderSecurityWarning(binaries.ffmpeg)].filter((w): w is string => w !== undefined);
  if (binaries.ffmpeg.origin !== binaries.ffprobe.origin) {
    warnings.push(`ffmpeg comes from ${binaries.ffmpeg.origin} but ffprobe from ${binaries.ffprobe.origin}; set both FFMPEG_PATH and FFPROBE_PATH to the same build to avoid surprises`);
  }
  return { ffmpeg: one(binaries.ffmpeg), ffprobe: one(binaries.ffprobe), warnings };
}
