import { describe, expect, it } from 'vitest';
import { apiVersionProblem, PLUGIN_API_VERSION } from './api-version.js';

describe('plugin API version policy', () => {
  it('is MAJOR.MINOR', () => {
    expect(PLUGIN_API_VERSION).toMatch(/^\d+\.\d+$/);
  });

  it.each([
    ['1.0', '1.0'],
    ['1.0', '1.3'],
    ['1.2', '1.3'],
    ['2.5', '2.10'],
  ])('a plugin for %s runs on a host providing %s', (plugin, host) => {
    expect(apiVersionProblem(plugin, host)).toBeUndefined();
  });

  it.each([
    ['1.4', '1.3', /Upgrade upframe/],
    ['2.0', '1.3', /Upgrade upframe/],
    ['1.0', '2.0', /written for plugin API 2\.x/],
    ['1', '1.0', /is not "MAJOR\.MINOR"/],
    [undefined, '1.0', /is not "MAJOR\.MINOR"/],
  ])('a plugin for %s is refused by a host providing %s', (plugin, host, hint) => {
    const problem = apiVersionProblem(plugin, host);
    expect(problem?.reason).toContain(`plugin API ${host}`);
    expect(`${problem?.reason} ${problem?.hint}`).toMatch(hint);
  });
});
