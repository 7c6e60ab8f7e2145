import { createRequire } from 'node:module';
import { PLUGIN_API_VERSION, UPFRAME_VERSION } from '@upframe/core';

/**
 * The toolchain the monorepo builds and tests its own plugins with; a scaffolded plugin starts on
 * the same, so the templates are known to compile. A test keeps these equal to the root package.json.
 */
export const TOOLCHAIN = { typescript: '5.9.3', vitest: '^3.2.4', '@types/node': '^20.19.0' } as const;

export interface ScaffoldVersions {
  /** `apiVersion` for definePlugin: the plugin API of the core this CLI runs on. */
  readonly apiVersion: string;
  /** Range for `@upframe/core`, as peer and dev dependency. */
  readonly core: string;
  /** Range for `@upframe/plugin-kit`. */
  readonly kit: string;
  readonly typescript: string;
  readonly vitest: string;
  readonly '@types/node': string;
}

/**
 * The kit is not a dependency of the CLI (it would pull vitest into every install), so its version
 * is read where it is installed beside the CLI (always so in the monorepo). Otherwise the core's
 * version stands in: changesets links the @upframe/* versions, so a release of both shares one.
 */
function kitVersion(): string {
  try {
    return (createRequire(import.meta.url)('@upframe/plugin-kit/package.json') as { version: string }).version;
  } catch {
    return UPFRAME_VERSION;
  }
}

export function scaffoldVersions(): ScaffoldVersions {
  return { apiVersion: PLUGIN_API_VERSION, core: `^${UPFRAME_VERSION}`, kit: `^${kitVersion()}`, ...TOOLCHAIN };
}
