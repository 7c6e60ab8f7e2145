import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { registerPlugins } from './plugin.js';

function pluginFile(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'upframe-plugin-')), 'p.mjs');
  writeFileSync(file, source);
  return file;
}

describe('registerPlugins', () => {
  it('fails a register() that does not finish in time, naming the module', async () => {
    // A live timer keeps the event loop busy, so only the timeout can end the wait.
    const file = pluginFile("export default { name: 'slow', register: () => new Promise((r) => setTimeout(r, 60_000)) };\n");
    await expect(registerPlugins(container.createChildContainer(), [file], process.cwd(), { timeoutMs: 50 }))
      .rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED', message: expect.stringMatching(/p\.mjs.*register\(\) failed: it did not finish within 0\.05 s/) });
  });

  it('says which module it is about to load, in order', async () => {
    const a = pluginFile("export default { name: 'a', register() {} };\n");
    const b = pluginFile("export default { name: 'b', register: async () => {} };\n");
    const seen: string[] = [];
    const loaded = await registerPlugins(container.createChildContainer(), [a, b], process.cwd(), { onLoad: (s) => seen.push(s) });
    expect(seen).toEqual([a, b]);
    expect(loaded.map((p) => p.name)).toEqual(['a', 'b']);
  });
});
