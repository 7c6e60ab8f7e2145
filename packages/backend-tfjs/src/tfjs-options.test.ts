import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS, createUpframeContainer, parseOptionPairs } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { register } from './register.js';
import { defaultRuntimeCandidates } from './runtime-candidates.js';
import { resolveModelSource } from './model-source.js';
import { TFJS_RUNTIME_IDS } from './tfjs-options.js';

describe('tfjs option schema', () => {
  it('offers exactly the runtimes the backend can pin', () => {
    expect([...TFJS_RUNTIME_IDS]).toEqual(defaultRuntimeCandidates().map((c) => c.id));
  });

  it('is declared where tfjs registers, and its ranges have the shape the model source reads', () => {
    const container = createUpframeContainer();
    register(container);
    const schema = container.resolve(TOKENS.Backends).get('tfjs').options;
    expect(Object.keys(schema ?? {})).toEqual(['runtime', 'inputRange', 'outputRange']);
    const extra = parseOptionPairs(['runtime=cpu', 'inputRange=0,1', 'outputRange=0,1'], schema, 'backend tfjs');
    expect(extra).toEqual({ runtime: 'cpu', inputRange: [0, 1], outputRange: [0, 1] });
    const dir = mkdtempSync(join(tmpdir(), 'upframe-tfjs-opts-'));
    writeFileSync(join(dir, 'model.json'), '{}');
    expect(resolveModelSource(join(dir, 'model.json'), extra)).toMatchObject({ inputRange: [0, 1], outputRange: [0, 1] });
  });
});
