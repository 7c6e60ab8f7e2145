import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli-harness.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * The environment of a user's shell, not of this test run: npm exports `npm_config_*` to scripts
 * (a workspace or prefix would leak into a nested install) and vitest marks its workers, which a
 * nested vitest would read as its own.
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|TEST$|NODE_OPTIONS$|INIT_CWD$|TURBO_|FORCE_COLOR$)/i.test(key)) continue;
    env[key] = value;
  }
  // Plain text, so assertions can read tool output.
  return { ...env, NO_COLOR: '1' };
}

/** Runs a command as a user would in `cwd`; never rejects, so a test can show what went wrong. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const done = (code: number | null) => resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    child.on('error', (error) => ((stderr += String(error)), done(null)));
    child.on('close', done);
  });
}

/** A failed step's own output, for the assertion message. */
export function explain(what: string, r: RunResult): string {
  return `${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}

/** The repository's node_modules, seen from a folder outside it, as `npm install` there would lay it out. */
export function linkRepoModules(dir: string): void {
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

function workspaceManifests(): Map<string, { dir: string; manifest: Manifest }> {
  const found = new Map<string, { dir: string; manifest: Manifest }>();
  for (const folder of readdirSync(join(REPO, 'packages'))) {
    const dir = join(REPO, 'packages', folder);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    found.set(manifest.name, { dir, manifest });
  }
  return found;
}

/** `roots` and every `@upframe/*` package they depend on, transitively: what installing them from tarballs needs. */
export function workspaceClosure(roots: readonly string[]): { name: string; dir: string }[] {
  const all = workspaceManifests();
  const seen = new Set<string>();
  const visit = (name: string) => {
    const entry = all.get(name);
    if (!entry) throw new Error(`${name} is not a package under packages/`);
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(entry.manifest.dependencies ?? {})) if (dep.startsWith('@upframe/')) visit(dep);
  };
  roots.forEach(visit);
  return [...seen].map((name) => ({ name, dir: all.get(name)!.dir }));
}

/** `npm pack`s workspace packages into `dest`; returns each package's tarball path by name. */
export async function packWorkspaces(names: readonly string[], dest: string): Promise<Map<string, string>> {
  const r = await run('npm', ['pack', ...names.flatMap((n) => ['-w', n]), '--pack-destination', dest, '--json'], REPO);
  if (r.code !== 0) throw new Error(explain('npm pack', r));
  const packed = JSON.parse(r.stdout) as { name: string; filename: string }[];
  return new Map(packed.map((p) => [p.name, join(dest, p.filename)]));
}
