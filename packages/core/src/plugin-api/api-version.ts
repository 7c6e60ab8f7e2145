/**
 * The plugin API version this copy of upframe provides, as `MAJOR.MINOR`. A minor bump adds to
 * the host facade or the contracts without breaking plugins written for an earlier minor; a
 * major bump removes or changes something.
 */
export const PLUGIN_API_VERSION = '1.0';

/** A plugin API version, `MAJOR.MINOR` (e.g. `'1.0'`). */
export type PluginApiVersion = `${number}.${number}`;

function parse(version: string): { major: number; minor: number } | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * Why a plugin written for `wanted` cannot run on a host providing `provided`, or undefined
 * when it can: same major, and the plugin's minor no newer than the host's (a plugin for 1.0
 * runs on a 1.3 host; one for 1.3 may use what a 1.0 host lacks).
 */
export function apiVersionProblem(wanted: unknown, provided: string = PLUGIN_API_VERSION): { reason: string; hint: string } | undefined {
  const host = parse(provided);
  const plugin = typeof wanted === 'string' ? parse(wanted) : undefined;
  if (!host) throw new Error(`invalid host plugin API version "${provided}"`);
  if (!plugin) {
    return {
      reason: `its apiVersion ${JSON.stringify(wanted)} is not "MAJOR.MINOR"; this upframe provides plugin API ${provided}`,
      hint: `Set apiVersion: '${provided}' in the plugin's definePlugin({ … }) if it was written for this API.`,
    };
  }
  if (plugin.major === host.major && plugin.minor <= host.minor) return undefined;
  const pluginIsNewer = plugin.major > host.major || (plugin.major === host.major && plugin.minor > host.minor);
  return {
    reason: `it targets plugin API ${wanted} but this upframe provides plugin API ${provided}`,
    hint: pluginIsNewer
      ? `Upgrade upframe (npm i @upframe/cli@latest) to a release with plugin API ${plugin.major}.${plugin.minor} or later, or install an older version of the plugin.`
      : `Install a version of the plugin written for plugin API ${host.major}.x (check its changelog), or use an upframe release with plugin API ${wanted}.`,
  };
}
