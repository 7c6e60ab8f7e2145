import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { createConsoleLogger, type Logger } from './logger.js';
import { NamedRegistry } from './registry.js';
import { TOKENS } from './tokens.js';

/**
 * A fresh child container holding empty registries and a logger. Each run (and each test)
 * gets its own, so nothing registered in one leaks into another.
 */
export function createUpframeContainer(options: { logger?: Logger; parent?: DependencyContainer } = {}): DependencyContainer {
  const c = (options.parent ?? rootContainer).createChildContainer();
  c.register(TOKENS.Logger, { useValue: options.logger ?? createConsoleLogger() });
  c.register(TOKENS.Backends, { useValue: new NamedRegistry('backend') });
  c.register(TOKENS.Dedupe, { useValue: new NamedRegistry('dedupe strategy') });
  c.register(TOKENS.FormatSelectors, { useValue: new NamedRegistry('format selector') });
  c.register(TOKENS.Sources, { useValue: new NamedRegistry('source') });
  c.register(TOKENS.Sinks, { useValue: new NamedRegistry('sink') });
  return c;
}

/** Resolve `cls` in a child of `parent` where `token` is bound to `value` (per-instance options). */
export function resolveWith<T, V>(
  parent: DependencyContainer,
  cls: new (...args: never[]) => T,
  token: InjectionToken<V>,
  value: V,
): T {
  const child = parent.createChildContainer();
  child.register(token, { useValue: value });
  return child.resolve(cls as never) as T;
}
