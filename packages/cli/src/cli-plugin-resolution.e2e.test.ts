import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempDir, upframe } from './test-support/cli-harness.js';

// A plugin as a third party ships it: an ESM package whose exports map offers only `import`,
// installed in the user's project (outside this repo), beside its own copy of @upframe/core (the
// peer it imports `definePlugin` and `UpframeError` from), not the copy the CLI runs on.
const PLUGIN = `import { definePlugin, UpframeError } from '@upframe/core/plugin';
export default definePlugin({
  name: 'my-upframe-plugin',
  apiVersion: '1.0',
  register(host) {
    host.backends.add({
      name: 'mine',
      description: 'a backend installed in the project',
      create: (options) => ({
        name: 'mine',
        scale: 2,
        capabilities: () => ({ devices: ['cpu'], modelFormats: ['none'], maxBatch: 1 }),
        async initialize() {
          if (options.device !== 'cpu' && options.device !== 'auto') {
            throw new UpframeError('DEVICE_UNAVAILABLE', 'mine runs on the CPU only', { hint: 'Run mine with --device cpu.' });
          }
        },
        info: () => ({ device: 'cpu', provider: 'none', model: { id: options.model, scale: 2 }, warnings: [] }),
        async run(images) { return images.map((i) => ({ ...i })); },
        async dispose() {},
      }),
    });
  },
});
`;

let project: string;

beforeAll(() => {
  project = tempDir();
  const core = join(project, 'node_modules', '@upframe', 'core');
  mkdirSync(core, { recursive: true });
  cpSync(join(REPO, 'packages/core/package.json'), join(core, 'package.json'));
  cpSync(join(REPO, 'packages/core/dist'), join(core, 'dist'), { recursive: true });
  const plugin = join(project, 'node_modules', 'my-upframe-plugin');
  mkdirSync(plugin, { recursive: true });
  writeFileSync(
    join(plugin, 'package.json'),
    JSON.stringify({ name: 'my-upframe-plugin', version: '1.0.0', type: 'module', exports: { '.': { import: './index.js' } }, peerDependencies: { '@upframe/core': '^0.1.0' } }),
  );
  writeFileSync(join(plugin, 'index.js'), PLUGIN);
});

describe('plugins resolved from the user\'s project', () => {
  it('a bare name installed in the current folder loads, with --plugin and from the config file', async () => {
    const r = await upframe(['backends', '--json', '--plugin', 'my-upframe-plugin'], { cwd: project });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const mine = JSON.parse(r.stdout).backends.find((b: { name: string }) => b.name === 'mine');
    expect(mine).toMatchObject({ ok: true, origin: 'my-upframe-plugin', description: 'a backend installed in the project' });

    const configured = tempDir();
    cpSync(join(project, 'node_modules'), join(configured, 'node_modules'), { recursive: true });
    writeFileSync(join(configured, 'upframe.config.json'), JSON.stringify({ plugins: ['my-upframe-plugin'] }));
    const c = await upframe(['backends', '--json'], { cwd: configured });
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout).backends.map((b: { name: string }) => b.name)).toContain('mine');
  });

  it('an error thrown from the plugin\'s own copy of core keeps its hint (errors are branded)', async () => {
    const dir = tempDir();
    const r = await upframe(['upscale', join(REPO, 'packages/cli/assets/demo.mp4'), '-o', join(dir, 'o.mp4'), '--plugin', 'my-upframe-plugin', '--backend', 'mine', '--device', 'cuda'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mine runs on the CPU only/);
    expect(r.stderr).toContain('hint: Run mine with --device cpu.');
  });

  it('a name that is not installed exits 1, naming where it looked and suggesting npm i', async () => {
    const r = await upframe(['backends', '--json', '--plugin', 'upframe-plugin-not-installed'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot load plugin "upframe-plugin-not-installed": package "upframe-plugin-not-installed" is not installed/);
    expect(r.stderr).toContain(project);
    expect(r.stderr).toContain(join(REPO, 'packages/cli'));
    expect(r.stderr).toContain('npm i upframe-plugin-not-installed');
    expect(r.stderr).not.toMatch(/default-export|default export/);
  });
});
