import { describe, expect, it } from 'vitest';
import { isUpframeError } from './errors.js';
import { checkOptions, describeOptionSchema, optionSchemaProblem, parseOptionPairs, type OptionSchema } from './option-schema.js';
import { createUpframeContainer } from './container.js';
import { silentLogger } from './logger.js';
import { createPluginHost } from './plugin-host.js';
import { NamedRegistry } from './registry.js';
import { FakeBackend } from './test-support/fakes.js';
import { TOKENS } from './tokens.js';

const SCHEMA: OptionSchema = {
  maxBatch: { type: 'integer', min: 1, max: 64, description: 'largest batch', default: 8 },
  frac: { type: 'number', min: 0, max: 1, description: 'a fraction' },
  tensorrt: { type: 'boolean', description: 'use TensorRT' },
  label: { type: 'string', description: 'free text' },
  ioLayout: { type: 'enum', values: ['nchw', 'nhwc'], description: 'tensor layout' },
  inputRange: { type: 'range', description: 'input values' },
};
const STAGE = 'backend onnx';

function usage(fn: () => unknown): Error & { hint?: string; file?: string } {
  try {
    fn();
  } catch (error) {
    expect(isUpframeError(error, 'USAGE')).toBe(true);
    return error as Error;
  }
  throw new Error('expected a USAGE error');
}

describe('parseOptionPairs', () => {
  it('parses every type from key=value text', () => {
    expect(parseOptionPairs(['maxBatch=4', 'frac=0.25', 'tensorrt=yes', 'label=a=b', 'ioLayout=nhwc', 'inputRange=0,1'], SCHEMA, STAGE)).toEqual({
      maxBatch: 4, frac: 0.25, tensorrt: true, label: 'a=b', ioLayout: 'nhwc', inputRange: [0, 1],
    });
  });

  it.each([
    ['true', true], ['false', false], ['1', true], ['0', false], ['yes', true], ['no', false], ['TRUE', true],
  ])('boolean %s → %s', (text, value) => {
    expect(parseOptionPairs([`tensorrt=${text}`], SCHEMA, STAGE)).toEqual({ tensorrt: value });
  });

  it('keeps the last of a repeated key', () => {
    expect(parseOptionPairs(['maxBatch=2', 'maxBatch=3'], SCHEMA, STAGE)).toEqual({ maxBatch: 3 });
  });

  it('numbers are parsed strictly: no trailing junk, no hex, no empty value', () => {
    for (const bad of ['maxBatch=4x', 'maxBatch=0x10', 'maxBatch=', 'maxBatch=2.5', 'maxBatch=1e1', 'frac=.5.', 'frac=Infinity', 'frac=']) {
      expect(usage(() => parseOptionPairs([bad], SCHEMA, STAGE)).message).toMatch(/must be (an integer 1–64|a number 0–1), got/);
    }
    expect(parseOptionPairs(['frac=.5', 'maxBatch=+7'], SCHEMA, STAGE)).toEqual({ frac: 0.5, maxBatch: 7 });
  });

  it('enforces bounds inclusively', () => {
    expect(parseOptionPairs(['maxBatch=1'], SCHEMA, STAGE)).toEqual({ maxBatch: 1 });
    expect(parseOptionPairs(['maxBatch=64'], SCHEMA, STAGE)).toEqual({ maxBatch: 64 });
    expect(usage(() => parseOptionPairs(['maxBatch=0'], SCHEMA, STAGE)).message).toBe('option "maxBatch" for backend onnx must be an integer 1–64, got "0"');
    expect(usage(() => parseOptionPairs(['maxBatch=65'], SCHEMA, STAGE)).message).toContain('integer 1–64');
    expect(usage(() => parseOptionPairs(['frac=1.01'], SCHEMA, STAGE)).message).toContain('a number 0–1');
  });

  it('rejects enum values outside the list, naming them', () => {
    const e = usage(() => parseOptionPairs(['ioLayout=NCHW'], SCHEMA, STAGE));
    expect(e.message).toBe('option "ioLayout" for backend onnx must be one of nchw, nhwc, got "NCHW"');
    expect(e.hint).toBe('ioLayout (nchw|nhwc): tensor layout');
  });

  it('rejects bad booleans and ranges', () => {
    expect(usage(() => parseOptionPairs(['tensorrt=maybe'], SCHEMA, STAGE)).message).toContain('true or false (also 1/0, yes/no)');
    for (const bad of ['inputRange=1,0', 'inputRange=0', 'inputRange=0,1,2', 'inputRange=a,b']) {
      expect(usage(() => parseOptionPairs([bad], SCHEMA, STAGE)).message).toContain('two numbers low,high with low < high');
    }
  });

  it('an unknown key lists every allowed key with its type', () => {
    const e = usage(() => parseOptionPairs(['batch=4'], SCHEMA, STAGE, { flag: '--backend-opt' }));
    expect(e.message).toBe(
      'unknown option "batch" for backend onnx; allowed: maxBatch (integer 1–64), frac (number 0–1), tensorrt (boolean), label (string), ioLayout (nchw|nhwc), inputRange (range low,high)',
    );
    expect(e.hint).toBe('Use one of the keys above, e.g. --backend-opt maxBatch=….');
  });

  it('a key in the wrong case is pointed at the right one', () => {
    expect(usage(() => parseOptionPairs(['maxbatch=4'], SCHEMA, STAGE)).hint).toContain('did you mean "maxBatch"');
  });

  it('a pair without "=" says how to write it', () => {
    const e = usage(() => parseOptionPairs(['maxBatch'], SCHEMA, STAGE, { flag: '--backend-opt' }));
    expect(e.message).toMatch(/^--backend-opt for backend onnx must be key=value, got "maxBatch"; allowed: maxBatch/);
    expect(e.hint).toBe('Write it as --backend-opt maxBatch=VALUE.');
  });

  it('a stage without a schema (or an empty one) accepts no keys and says it declares none', () => {
    expect(parseOptionPairs([], undefined, 'dedupe strategy off')).toEqual({});
    for (const schema of [undefined, {}]) {
      const e = usage(() => parseOptionPairs(['hi=3'], schema, 'dedupe strategy off', { flag: '--dedupe-opt' }));
      expect(e.message).toBe('dedupe strategy off declares no options, so "hi" cannot be set');
    }
  });

  it('inherited keys are not options', () => {
    expect(usage(() => parseOptionPairs(['toString=1'], SCHEMA, STAGE)).message).toContain('unknown option "toString"');
  });
});

describe('checkOptions (config objects)', () => {
  it('takes typed values as they are and parses strings like the command line', () => {
    expect(checkOptions({ maxBatch: 2, tensorrt: false, ioLayout: 'nchw', inputRange: [0, 255], frac: '0.5' }, SCHEMA, STAGE)).toEqual({
      maxBatch: 2, tensorrt: false, ioLayout: 'nchw', inputRange: [0, 255], frac: 0.5,
    });
    expect(checkOptions(undefined, SCHEMA, STAGE)).toEqual({});
  });

  it('rejects wrong types, unknown keys and non-objects, naming the file', () => {
    const source = { file: '/p/upframe.config.json' };
    expect(usage(() => checkOptions({ maxBatch: 2.5 }, SCHEMA, STAGE, source)).message).toBe('/p/upframe.config.json: option "maxBatch" for backend onnx must be an integer 1–64, got 2.5');
    expect(usage(() => checkOptions({ tensorrt: 'perhaps' }, SCHEMA, STAGE)).message).toContain('true or false');
    expect(usage(() => checkOptions({ label: 3 }, SCHEMA, STAGE)).message).toContain('must be a string, got 3');
    expect(usage(() => checkOptions({ inputRange: [1] }, SCHEMA, STAGE)).message).toContain('two numbers');
    const unknown = usage(() => checkOptions({ nope: 1 }, SCHEMA, STAGE, source));
    expect(unknown.message).toMatch(/^\/p\/upframe.config.json: unknown option "nope" for backend onnx; allowed: maxBatch \(integer 1–64\)/);
    expect(unknown.file).toBe('/p/upframe.config.json');
    expect(usage(() => checkOptions([1], SCHEMA, STAGE)).message).toContain('must be an object');
  });
});

describe('schemas themselves', () => {
  it('describes bounds that are open on one side', () => {
    expect(describeOptionSchema({ a: { type: 'integer', min: 1, description: '' }, b: { type: 'number', max: 9, description: '' } })).toBe('a (integer ≥ 1), b (number ≤ 9)');
    expect(describeOptionSchema(undefined)).toBe('(none)');
  });

  it('a malformed schema is refused when the entry is registered', () => {
    expect(optionSchemaProblem({ x: { type: 'enum', description: '' } })).toContain('non-empty values');
    expect(optionSchemaProblem({ x: { type: 'float', description: '' } })).toContain('needs a type');
    const registry = new NamedRegistry<object, object>('backend');
    expect(() => registry.add({ name: 'bad', description: '', options: { '1x': { type: 'string', description: '' } }, create: () => ({}) })).toThrow(/backend "bad": option key "1x"/);
    registry.add({ name: 'good', description: '', options: SCHEMA, create: () => ({}) });
    expect(registry.get('good').options).toBe(SCHEMA);
  });

  it('a plugin entry\'s schema reaches the registry the CLI checks options against', () => {
    const container = createUpframeContainer({ logger: silentLogger });
    createPluginHost(container, 'mine').backends.add({ name: 'mine', description: 'x', options: SCHEMA, create: () => new FakeBackend() });
    expect(container.resolve(TOKENS.Backends).get('mine').options).toBe(SCHEMA);
  });
});
