import { createBackend, type BackendOptions, type InferenceBackend } from '@upframe/core';
import { getModel, isModelId } from '@upframe/models';
import type { DependencyContainer } from 'tsyringe';

/**
 * A catalog model's format (core knows formats only from file names), so `--backend auto`
 * skips the backends that cannot run it. `undefined` for anything that is not a catalog id.
 */
export function catalogModelFormat(model: string): string | undefined {
  return isModelId(model) ? getModel(model).format : undefined;
}

/** The run's backend: `auto` chooses by priority with fallback; a name builds exactly that backend. */
export function createRunBackend(container: DependencyContainer, name: string, options: BackendOptions): InferenceBackend {
  return createBackend(container, name, options, { modelFormat: catalogModelFormat(options.model) });
}
