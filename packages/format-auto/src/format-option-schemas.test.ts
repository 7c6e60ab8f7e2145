import { IMAGE_FORMATS, TOKENS, checkOptions, createUpframeContainer, isUpframeError, parseOptionPairs, silentLogger, type OptionSchema } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { AUTO_OPTION_KEYS, FORMAT_OPTION_KEYS, parseAutoOptions, parseFormatOptions } from './format-options.js';
import { register } from './index.js';

// The schemas are what the CLI checks `--format-opt` and config `formatOptions` against before a
// run; the selectors' own parsers check again when built from code. Both must agree.

function schemas(): Map<string, OptionSchema | undefined> {
  const c = createUpframeContainer({ logger: silentLogger });
  register(c);
  return new Map(c.resolve(TOKENS.FormatSelectors).list().map((e) => [e.name, e.options]));
}

const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isUpframeError(error, 'USAGE');
  }
  return false;
};

describe('format selector option schemas', () => {
  it('every selector declares exactly the keys its parser accepts', () => {
    const all = schemas();
    expect(Object.keys(all.get('auto') ?? {})).toEqual([...AUTO_OPTION_KEYS]);
    for (const format of IMAGE_FORMATS) expect(Object.keys(all.get(format) ?? {}), format).toEqual([...FORMAT_OPTION_KEYS[format]]);
  });

  it('integer bounds agree with the parsers at both edges', () => {
    const all = schemas();
    for (const [name, schema] of all) {
      for (const [key, spec] of Object.entries(schema ?? {})) {
        if (spec.type !== 'integer') continue;
        const parse = (v: number) => (name === 'auto' || name === 'source' ? parseAutoOptions({ [key]: v }) : parseFormatOptions(name as (typeof IMAGE_FORMATS)[number], { [key]: v }));
        for (const edge of [spec.min!, spec.max!]) {
          expect(() => parse(edge), `${name} ${key}=${edge}`).not.toThrow();
          expect(checkOptions({ [key]: edge }, schema, name)).toEqual({ [key]: edge });
        }
        for (const outside of [spec.min! - 1, spec.max! + 1]) {
          expect(usage(() => parse(outside)), `${name} ${key}=${outside}`).toBe(true);
          expect(usage(() => checkOptions({ [key]: outside }, schema, name))).toBe(true);
        }
      }
    }
  });

  it('parsed CLI pairs build the selector they were checked for', () => {
    const all = schemas();
    const opts = parseOptionPairs(['compression=lzw', 'predictor=none'], all.get('tiff'), 'format selector tiff');
    expect(parseFormatOptions('tiff', opts)).toEqual({ compression: 'lzw', predictor: 'none' });
    expect(parseAutoOptions(parseOptionPairs(['quality=70', 'perFrame=yes'], all.get('auto'), 'format selector auto'))).toMatchObject({ lossy: true, quality: 70, perFrame: true });
    expect(() => parseOptionPairs(['lossy=true'], all.get('png'), 'format selector png')).toThrow(/allowed: compressionLevel \(integer 0–9\), adaptiveFiltering \(boolean\)/);
  });
});
