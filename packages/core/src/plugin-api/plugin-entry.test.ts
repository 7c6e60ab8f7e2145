import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs an ES module script in a fresh, plain Node: no vitest setup, no reflect-metadata. */
function plainNode(script: string) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('@upframe/core/plugin (the built entry, resolved through the workspace)', () => {
  it('loads in plain Node without reflect-metadata and exports the author API', () => {
    const r = plainNode(`
      const m = await import('@upframe/core/plugin');
      const p = m.definePlugin({ name: 'x', apiVersion: '1.0', register() {} });
      const e = new m.UpframeError('USAGE', 'bad');
      console.log(JSON.stringify({
        definePlugin: typeof m.definePlugin, identity: p.name === 'x', UpframeError: typeof m.UpframeError,
        PLUGIN_API_VERSION: m.PLUGIN_API_VERSION, branded: m.isUpframeError(e, 'USAGE'),
        tokens: typeof m.TOKENS.Backends, reflect: typeof Reflect.getMetadata,
      }));`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      definePlugin: 'function', identity: true, UpframeError: 'function', PLUGIN_API_VERSION: '1.0', branded: true, tokens: 'symbol',
      // Nothing installed the polyfill behind our back (tsyringe would have needed it).
      reflect: 'undefined',
    });
  });

  it('would have failed had it imported tsyringe, which throws without the polyfill', () => {
    const r = plainNode(`await import('tsyringe');`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/reflect polyfill/i);
  });
});
