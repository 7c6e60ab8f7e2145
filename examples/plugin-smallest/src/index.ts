import { definePlugin, type FormatSelector, type PluginEntry, type PluginOptions } from '@upframe/core/plugin';
import { SMALLEST_OPTIONS, parseSmallestOptions } from './smallest-options.js';
import { SmallestSelector } from './smallest-selector.js';

export { SmallestSelector } from './smallest-selector.js';
export { DEFAULT_CANDIDATES, LOSSLESS_CANDIDATES, LOSSLESS_SETTINGS, SMALLEST_OPTIONS, parseSmallestOptions } from './smallest-options.js';
export type { Candidate, SmallestOptions } from './smallest-options.js';

/** The entry `--format smallest` selects; exported so tests can build it as upframe does. */
export const smallestEntry: PluginEntry<FormatSelector, PluginOptions> = {
  name: 'smallest',
  description: 'trial-encodes the first frame in each lossless candidate and keeps the smallest',
  options: SMALLEST_OPTIONS,
  create: (options) => new SmallestSelector(parseSmallestOptions(options)),
};

/** The plugin: `upframe … --plugin upframe-plugin-smallest --format smallest`. */
export default definePlugin({
  name: 'smallest',
  // The API this plugin was written for, as a literal: the host refuses it if it cannot honour it.
  apiVersion: '1.0',
  register(host) {
    host.formats.add(smallestEntry);
  },
});
