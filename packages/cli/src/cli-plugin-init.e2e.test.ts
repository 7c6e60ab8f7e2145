import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_KINDS } from './scaffold/scaffold-names.js';
import { REPO, tempDir, upframe } from './test-support/cli-harness.js';
import { explain, linkRepoModules, run } from './test-support/plugin-projects.js';

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');

describe('upframe plugin init', () => {
  // What an author gets must compile and pass the kit as written. The scaffold sits outside the
  // repository and sees the workspace's built packages through node_modules, as an install would
  // lay them out; cli-plugin-author.e2e.test.ts does the same from packed tarballs.
  it.each(PLUGIN_KINDS)('scaffolds a %s plugin that builds and passes its kit contract tests', async (kind) => {
    const dir = join(tempDir(), `upframe-plugin-my-${kind}`);
    const r = await upframe(['plugin', 'init', dir, '--kind', kind]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`registered as "my-${kind}"`);
    expect(r.stdout).toMatch(/Next steps:\n {2}cd .*\n {2}npm install\n {2}npm test/);
    linkRepoModules(dir);

    // The tests are type-checked too (tsconfig.json); the build leaves them out (tsconfig.build.json).
    const typecheck = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], dir);
    expect(typecheck.code, explain('tsc -p tsconfig.json', typecheck)).toBe(0);
    const build = await run(process.execPath, [TSC, '-p', 'tsconfig.build.json'], dir);
    expect(build.code, explain('tsc -p tsconfig.build.json', build)).toBe(0);
    expect(existsSync(join(dir, 'dist/index.js')) && existsSync(join(dir, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(dir, 'dist/index.test.js')), 'tests stay out of the package').toBe(false);

    const tests = await run(process.execPath, [VITEST, 'run', '--reporter=verbose'], dir);
    expect(tests.code, explain('vitest', tests)).toBe(0);
    const contract = { backend: 'InferenceBackend', dedupe: 'DedupeStrategy', format: 'FormatSelector' }[kind];
    expect(tests.stdout).toContain(`${contract} contract: my-${kind}`);
    expect(tests.stdout).not.toMatch(/skipped|failed/);

    // The built plugin loads through the real host by path (its entry and options schema accepted).
    // `backends` also initialises the backend; `models` is the quickest command that loads plugins.
    const loaded = await upframe([kind === 'backend' ? 'backends' : 'models', '--json', '--plugin', join(dir, 'dist/index.js')]);
    expect(loaded.code, loaded.stderr).toBe(0);
    if (kind === 'backend') expect(JSON.parse(loaded.stdout).backends.find((b: { name: string }) => b.name === 'my-backend')).toMatchObject({ ok: true, origin: expect.stringContaining('index.js') });
  }, 120_000);

  it('writes into an empty folder, and refuses a non-empty one with exit 2, leaving it alone', async () => {
    const dir = join(tempDir(), 'upframe-plugin-x');
    mkdirSync(dir);
    expect((await upframe(['plugin', 'init', dir, '--kind', 'dedupe'])).code).toBe(0);
    writeFileSync(join(dir, 'src/index.ts'), 'mine');
    const r = await upframe(['plugin', 'init', dir, '--kind', 'dedupe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/upframe-plugin-x is not empty \(.*\); upframe plugin init writes only into a new or empty folder \[USAGE\]/);
    expect(readFileSync(join(dir, 'src/index.ts'), 'utf8')).toBe('mine');
  });

  it.each([
    [['plugin', 'init', 'x'], /required option '--kind <kind>' not specified/],
    [['plugin', 'init', 'x', '--kind', 'sink'], /Allowed choices are backend, dedupe, format/],
    [['plugin', 'init', 'x', '--kind', 'backend', '--name', 'My_Plugin'], /--name "My_Plugin" is not a valid npm package name/],
    [['plugin', 'init', 'x', '--kind', 'backend', '--name', 'upframe-plugin-'], /gives the stage name ""/],
  ])('usage error %j exits 2 and writes nothing', async (args, message) => {
    const cwd = tempDir();
    const r = await upframe(args, { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(cwd, 'x'))).toBe(false);
  });

  it('is listed in upframe --help, with its own help', async () => {
    expect((await upframe(['--help'])).stdout).toMatch(/plugin\s+tools for plugin authors/);
    const help = await upframe(['plugin', 'init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--kind <kind>');
    expect(help.stdout).toContain('--name <package>');
  });
});
