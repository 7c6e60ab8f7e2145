import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND_INVARIANTS, DEDUPE_INVARIANTS, FORMAT_SELECTOR_INVARIANTS, SINK_INVARIANTS, SOURCE_INVARIANTS } from '@upframe/plugin-kit';
import type { PluginKind } from './scaffold-names.js';
import { renderPlugin } from './write-scaffold.js';

// docs/plugins.md shows only code that is compiled and tested: each block follows a
// `<!-- from … -->` marker naming a scaffold file (rendered with the names below) or a repository
// file, and must appear there verbatim; `// …` separates excerpts that must appear in order.

const REPO = new URL('../../../../', import.meta.url);
const DOC = readFileSync(new URL('docs/plugins.md', REPO), 'utf8');
const DOC_NAMES: Record<PluginKind, string> = { backend: 'nearest', dedupe: 'same-bytes', format: 'png-only' };

function source(from: string): string {
  const scaffold = /^scaffold\/(backend|dedupe|format)\/(.+)$/.exec(from);
  if (!scaffold) return readFileSync(new URL(from, REPO), 'utf8');
  const kind = scaffold[1] as PluginKind;
  const file = renderPlugin(kind, { packageName: `upframe-plugin-${DOC_NAMES[kind]}`, stageName: DOC_NAMES[kind] })[scaffold[2]!];
  if (file === undefined) throw new Error(`the scaffold writes no ${scaffold[2]}`);
  return file;
}

const snippets = [...DOC.matchAll(/<!-- from (\S+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => ({ from: m[1]!, code: m[2]! }));

describe('docs/plugins.md', () => {
  it('has a compiled example for every kind', () => {
    expect(snippets.map((s) => s.from)).toEqual(expect.arrayContaining(['scaffold/backend/src/index.ts', 'scaffold/dedupe/src/index.ts', 'scaffold/format/src/index.ts', 'examples/plugin-smallest/src/index.ts']));
    // Any other TypeScript block would be prose code that nothing compiles.
    expect(DOC.match(/```ts\n/g)?.length).toBe(snippets.length);
  });

  it.each(snippets.map((s, i) => [`${i + 1}: ${s.from}`, s] as const))('snippet %s is what that file says', (_, { from, code }) => {
    const text = source(from);
    let at = 0;
    for (const part of code.split(/^\/\/ …\n/m)) {
      const found = text.indexOf(part, at);
      expect(found, `this part of the snippet from ${from} is not in the file (after offset ${at}):\n${part}`).toBeGreaterThanOrEqual(0);
      at = found + part.length;
    }
  });

  it('lists every invariant the kit checks', () => {
    for (const invariant of [...BACKEND_INVARIANTS, ...DEDUPE_INVARIANTS, ...FORMAT_SELECTOR_INVARIANTS, ...SOURCE_INVARIANTS, ...SINK_INVARIANTS]) {
      expect(DOC).toContain(`\`${invariant}\``);
    }
    const listed = (name: string) => new RegExp(`\\(\`${name}\`\\): ([^\\n]*(?:\\n {2}[^\\n]*)*)`).exec(DOC)?.[1]?.match(/`[a-z0-9-]+`/g)?.map((s) => s.slice(1, -1));
    expect(listed('BACKEND_INVARIANTS')).toEqual([...BACKEND_INVARIANTS]);
    expect(listed('DEDUPE_INVARIANTS')).toEqual([...DEDUPE_INVARIANTS]);
    expect(listed('FORMAT_SELECTOR_INVARIANTS')).toEqual([...FORMAT_SELECTOR_INVARIANTS]);
    expect(listed('SOURCE_INVARIANTS')).toEqual([...SOURCE_INVARIANTS]);
    expect(listed('SINK_INVARIANTS')).toEqual([...SINK_INVARIANTS]);
  });
});
