import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UpframeError } from '@upframe/core';
import { backendTemplate } from './backend-template.js';
import { dedupeTemplate } from './dedupe-template.js';
import { formatTemplate } from './format-template.js';
import type { KindTemplate, TemplateValues } from './kind-template.js';
import { gitignore, packageJson, readme, tsconfigBuildJson, tsconfigJson } from './package-files.js';
import { pluginNames, type PluginKind, type PluginNames } from './scaffold-names.js';
import { scaffoldVersions, type ScaffoldVersions } from './scaffold-versions.js';

export const TEMPLATES: Record<PluginKind, KindTemplate> = { backend: backendTemplate, dedupe: dedupeTemplate, format: formatTemplate };

export interface ScaffoldRequest {
  readonly dir: string;
  readonly kind: PluginKind;
  /** The package name; default: the folder's name. */
  readonly name?: string;
}

export interface ScaffoldResult extends PluginNames {
  readonly dir: string;
  readonly kind: PluginKind;
  /** Paths relative to `dir`, in the order written. */
  readonly files: readonly string[];
  /** The upscale command line that uses the built plugin. */
  readonly usage: string;
}

/** Every file of a plugin package, by relative path, without touching the disk. */
export function renderPlugin(kind: PluginKind, names: PluginNames, versions: ScaffoldVersions = scaffoldVersions()): Record<string, string> {
  const template = TEMPLATES[kind];
  const values: TemplateValues = { ...names, apiVersion: versions.apiVersion };
  return {
    'package.json': packageJson(template, values, versions),
    'tsconfig.json': tsconfigJson(),
    'tsconfig.build.json': tsconfigBuildJson(),
    'README.md': readme(template, values),
    '.gitignore': gitignore(),
    'src/index.ts': template.index(values),
    'src/index.test.ts': template.test(values),
  };
}

/** Only a missing or empty folder is written to: scaffolding must never merge into someone's work. */
function ensureEmptyDir(dir: string): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UpframeError('USAGE', `${dir} exists and is not a folder`, { file: dir, hint: 'Give a new or empty folder to create the plugin in.' });
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length > 0) {
    throw new UpframeError('USAGE', `${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); upframe plugin init writes only into a new or empty folder`, {
      file: dir,
      hint: 'Choose another folder, e.g. upframe plugin init upframe-plugin-mine --kind backend.',
    });
  }
}

export function scaffoldPlugin(request: ScaffoldRequest): ScaffoldResult {
  const dir = resolve(request.dir);
  const names = pluginNames(dir, request.name);
  ensureEmptyDir(dir);
  const files = renderPlugin(request.kind, names);
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    // `wx`: a file that appeared since the check above is left alone, not overwritten.
    writeFileSync(target, text, { flag: 'wx' });
  }
  const usage = TEMPLATES[request.kind].usage(names);
  return { ...names, dir, kind: request.kind, files: Object.keys(files), usage };
}
