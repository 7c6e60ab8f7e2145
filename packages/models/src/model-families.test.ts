import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_FAMILY_INFO } from './model-families.js';
import { locatePackage } from './package-locator.js';

// The value ranges in model-families.ts are copied from the packages' own model definitions;
// these tests re-read those sources so an update that changes them cannot slip through.
describe('model families against the upscalerjs sources', () => {
  for (const family of ['esrgan-slim', 'esrgan-medium'] as const) {
    const root = locatePackage(MODEL_FAMILY_INFO[family].packageName)!;

    it(`${family} declares the architecture we assume`, () => {
      const definition = readFileSync(join(root, `dist/esm/models/${family}/src/getModelDefinition.js`), 'utf8');
      expect(definition).toContain(`architecture: "${MODEL_FAMILY_INFO[family].architecture}"`);
    });

    it(`${family}'s shared esrgan.js gives rdn models 0-255 and others 0-1`, () => {
      const esrgan = readFileSync(join(root, 'dist/esm/packages/shared/src/esrgan/esrgan.js'), 'utf8').replace(/\s+/g, ' ');
      expect(esrgan).toMatch(/if \(architecture === 'rdn'\) \{.*inputRange: \[0, 255,\], outputRange: \[0, 255,\],.*\}/);
      expect(esrgan).toMatch(/const BETA = 0\.2;.*inputRange: \[0, 1,\], outputRange: \[0, 1,\], \}; \};/);
    });
  }

  it('records rdn as 0-255 and thick (rrdn) as 0-1', () => {
    expect(MODEL_FAMILY_INFO['esrgan-slim'].inputRange).toEqual([0, 255]);
    expect(MODEL_FAMILY_INFO['esrgan-medium'].outputRange).toEqual([0, 255]);
    expect(MODEL_FAMILY_INFO['esrgan-thick']).toMatchObject({ architecture: 'rrdn', inputRange: [0, 1], outputRange: [0, 1] });
  });
});
