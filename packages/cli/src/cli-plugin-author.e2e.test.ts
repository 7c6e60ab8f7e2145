import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, ffmpeg, ffprobe, tempDir, upframe } from './test-support/cli-harness.js';
import { explain, packWorkspaces, run, workspaceClosure } from './test-support/plugin-projects.js';

// A third-party author's path, end to end and outside the monorepo's workspaces (issue 12, "Done
// when"): scaffold a backend plugin, build and kit-test it against packed tarballs, then install
// it beside the packed CLI in a fresh project and run it with an option through `npx upframe`.
// Installs come from the npm cache `npm ci` filled (--prefer-offline); it takes 1–2 minutes, so
// it is a file of its own and can run as a separate suite.

const PLUGIN = 'upframe-plugin-e2e';
const STAGE = 'e2e';
const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];
const STEP = 300_000;

const root = tempDir();
const tarballs = join(root, 'tarballs');
const pluginDir = join(root, PLUGIN);
const project = join(root, 'project');
let packed: Map<string, string>;
const timings: string[] = [];
let started = 0;

beforeAll(() => {
  mkdirSync(tarballs);
  started = performance.now();
});

afterAll(() => {
  // The project's node_modules is most of a gigabyte (onnxruntime, tfjs, ffmpeg).
  rmSync(root, { recursive: true, force: true });
  process.stdout.write(`plugin author e2e in ${((performance.now() - started) / 1000).toFixed(1)} s: ${timings.join(', ')}\n`);
});

async function step(name: string, command: string, args: readonly string[], cwd: string) {
  const r = await run(command, args, cwd);
  timings.push(`${name} ${r.seconds.toFixed(1)} s`);
  expect(r.code, explain(`${name}: ${command} ${args.join(' ')}`, r)).toBe(0);
  return r;
}

describe('a plugin author, from scaffold to npx upframe', () => {
  it('scaffolds a backend plugin with upframe plugin init', async () => {
    const r = await upframe(['plugin', 'init', pluginDir, '--kind', 'backend'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--backend ${STAGE} --backend-opt scale=3`);
  });

  it('packs the CLI, core, the kit and their workspace dependencies', async () => {
    const names = workspaceClosure(['@upframe/cli', '@upframe/core', '@upframe/plugin-kit']).map((p) => p.name);
    packed = await packWorkspaces(names, tarballs);
    expect([...packed.keys()].sort()).toEqual(names.sort());
  }, STEP);

  it('builds the plugin against the tarballs and passes the kit contract tests there', async () => {
    // The repository's .npmrc (no fund/audit calls); the plugin installs nothing with an install script.
    copyFileSync(join(REPO, '.npmrc'), join(pluginDir, '.npmrc'));
    // --no-save: the scaffolded devDependencies stay the registry ranges an author publishes with.
    await step('plugin install', 'npm', [...INSTALL, '--no-save', packed.get('@upframe/core')!, packed.get('@upframe/plugin-kit')!], pluginDir);
    await step('plugin build', 'npm', ['run', 'build'], pluginDir);
    const tests = await step('plugin kit tests', 'npx', ['--no', 'vitest', 'run', '--reporter=verbose'], pluginDir);
    expect(tests.stdout).toContain('InferenceBackend contract: e2e with --backend-opt scale=3 > output-size');
    expect(tests.stdout).toMatch(/Tests\s+\d+ passed/);
    expect(tests.stdout).not.toMatch(/failed/);
    const pack = await step('plugin pack', 'npm', ['pack', '--pack-destination', tarballs, '--json'], pluginDir);
    const [{ filename }] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string }[];
    packed.set(PLUGIN, join(tarballs, filename));
  }, STEP);

  it('installs the packed CLI and the packed plugin into a fresh project', async () => {
    mkdirSync(project);
    copyFileSync(join(REPO, '.npmrc'), join(project, '.npmrc'));
    // The repository's install-script policy too: onnxruntime-node's script would fetch the CUDA
    // provider from outside the npm registry, which this offline machine cannot reach.
    const { allowScripts } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'upframe-user-project', private: true, type: 'module', allowScripts }, null, 2));
    // A user's project needs the CLI and the plugin; the kit and its vitest are the author's business.
    const wanted = [...packed].filter(([name]) => name !== '@upframe/plugin-kit').map(([, file]) => file);
    await step('project install', 'npm', [...INSTALL, ...wanted], project);
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(['@upframe/cli', PLUGIN]));
    // The templates are compiled into dist/, so the packed CLI can scaffold too.
    expect(existsSync(join(project, 'node_modules/@upframe/cli/dist/scaffold/backend-template.js'))).toBe(true);
  }, STEP);

  it('npx upframe upscale --plugin <package> --backend <name> --backend-opt scale=3 makes a 3× video', async () => {
    const clip = join(project, 'clip.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=32x24:rate=5:duration=1', '-pix_fmt', 'yuv420p', clip]);
    const upscale = (out: string, ...extra: string[]) =>
      step(`upscale ${extra.join(' ') || 'default'}`, 'npx', ['--no', 'upframe', 'upscale', 'clip.mp4', '-o', out, '--plugin', PLUGIN, '--backend', STAGE, '--report', `${out}.json`, '--quiet', ...extra], project);
    // The default first, so the 3× below is the option's doing and not the plugin's default.
    await upscale('default.mp4');
    expect((await ffprobe(join(project, 'default.mp4'))).streams.find((s) => s.codec_type === 'video')?.width).toBe(64);

    await upscale('out.mp4', '--backend-opt', 'scale=3');
    const video = (await ffprobe(join(project, 'out.mp4'))).streams.find((s) => s.codec_type === 'video');
    expect(video?.width).toBe(96);
    const report = JSON.parse(readFileSync(join(project, 'out.mp4.json'), 'utf8')) as { backend: { name: string }; model: { id: string; scale: number } };
    expect(report.backend.name).toBe(STAGE);
    expect(report.model).toEqual({ id: 'nearest-x3', scale: 3 });
  }, STEP);
});
