import { describe, expect, it } from 'vitest';
import { BACKEND_INVARIANTS, backendContract } from './backend/backend-contract.js';
import {
  describeBackendContract,
  describeContract,
  describeDedupeContract,
  describeFormatSelectorContract,
  describeSinkContract,
  describeSourceContract,
  type TestApi,
} from './describe-contract.js';
import { ARRAY_SOURCE, ArraySource } from './fixtures/array-source.js';
import { BROKEN_BACKENDS } from './fixtures/broken-backends.js';
import { ByteExactDedupe } from './fixtures/byte-exact-dedupe.js';
import { LosslessSelector } from './fixtures/lossless-selector.js';
import { NearestBackend } from './fixtures/nearest-backend.js';
import { RawFileSink } from './fixtures/raw-file-sink.js';

/** Records what the wrapper would declare, instead of declaring it. */
function recorder() {
  const seen = { describes: [] as string[], its: new Map<string, () => Promise<void>>() };
  const api: TestApi = {
    describe: (title, body) => (seen.describes.push(title), body()),
    it: (title, body) => seen.its.set(title, body),
  };
  return { seen, api };
}

describe('describeContract', () => {
  it('declares one test per invariant and names the unchecked ones, with their reason, in the suite title', () => {
    const { seen, api } = recorder();
    describeContract(backendContract, () => new NearestBackend(), { label: 'nearest', skip: { 'abort-honoured': 'tracked in #12' } }, api);
    expect(seen.describes).toEqual([expect.stringMatching(/^InferenceBackend contract: nearest \(not checked: abort-honoured: tracked in #12; deterministic: the plugin does not declare/)]);
    expect([...seen.its.keys()]).toEqual(BACKEND_INVARIANTS.filter((i) => i !== 'abort-honoured' && i !== 'deterministic'));
  });

  it('fails the invariant test with every violation of that invariant', async () => {
    const { seen, api } = recorder();
    describeContract(backendContract, () => BROKEN_BACKENDS['output-order'].create(), {}, api);
    await expect(seen.its.get('output-order')!()).rejects.toThrow(/InferenceBackend output-order is broken:\noutput-order: output 0 of a batch of 3 is the upscaled input 2/);
    await expect(seen.its.get('output-size')!()).resolves.toBeUndefined();
  });

  it('leaves out invariants not selected with `only`', () => {
    const { seen, api } = recorder();
    describeContract(backendContract, () => new NearestBackend(), { only: ['output-size'] }, api);
    expect([...seen.its.keys()]).toEqual(['output-size']);
    expect(seen.describes).toEqual(['InferenceBackend contract']);
  });
});

// The wrappers as a plugin author uses them, on the kit's reference fixtures.
describeBackendContract(() => new NearestBackend(), { label: 'reference nearest-x2', scale: 2, maxBatch: 4, deterministic: true, failingFactory: () => new NearestBackend({ model: 'missing' }) });
describeDedupeContract(() => new ByteExactDedupe(), { label: 'reference byte-exact', detectsIdentical: true });
describeFormatSelectorContract(() => new LosslessSelector(), { label: 'reference lossless', requiresLossless: true });
describeSourceContract(() => new ArraySource(), { label: 'reference array', expectedFrames: ARRAY_SOURCE.frames, expected: ARRAY_SOURCE, badInput: () => new ArraySource('missing.mkv'), badInputPath: 'missing.mkv' });
describeSinkContract((output) => new RawFileSink(output), { label: 'reference raw-file', outputName: 'frames.raw' });
