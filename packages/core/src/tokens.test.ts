import { inject, injectable } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { createUpframeContainer, resolveWith } from './container.js';
import type { DedupeOptions } from './contracts/dedupe-strategy.js';
import type { SinkOptions } from './contracts/frame-sink.js';
import type { SourceOptions } from './contracts/frame-source.js';
import { silentLogger } from './logger.js';
import { TOKENS } from './tokens.js';

@injectable()
class OptionsSink {
  constructor(@inject(TOKENS.SinkOptions) readonly options: SinkOptions) {}
}

@injectable()
class OptionsDedupe {
  constructor(@inject(TOKENS.DedupeOptions) readonly options: DedupeOptions) {}
}

describe('stage option tokens', () => {
  it('are one Symbol.for per stage, so two copies of core agree on them', () => {
    expect(TOKENS.BackendOptions).toBe(Symbol.for('upframe.backend-options'));
    expect(TOKENS.SourceOptions).toBe(Symbol.for('upframe.source-options'));
    expect(TOKENS.SinkOptions).toBe(Symbol.for('upframe.sink-options'));
    expect(TOKENS.DedupeOptions).toBe(Symbol.for('upframe.dedupe-options'));
    expect(TOKENS.FormatSelectorOptions).toBe(Symbol.for('upframe.format-selector-options'));
    // The untyped token shared by every stage is gone.
    expect(Object.keys(TOKENS)).not.toContain('StageOptions');
  });

  it('hand each class the options its registry entry was given', () => {
    const c = createUpframeContainer({ logger: silentLogger });
    const options: SinkOptions = { output: 'out.png', overwrite: true };
    expect(resolveWith(c, OptionsSink, TOKENS.SinkOptions, options).options).toBe(options);
    expect(resolveWith(c, OptionsDedupe, TOKENS.DedupeOptions, { threshold: 3 }).options).toEqual({ threshold: 3 });
  });

  // Type-level: `tsc -p packages/core/tsconfig.json` fails if either line stops being an error.
  it('type the value resolveWith binds (checked by tsc)', () => {
    const c = createUpframeContainer({ logger: silentLogger });
    const source: SourceOptions = { input: 'in.mp4' };
    // @ts-expect-error a source's options are not a sink's
    expect(resolveWith(c, OptionsSink, TOKENS.SinkOptions, source).options).toBe(source);
    // @ts-expect-error a sink needs its output
    expect(resolveWith(c, OptionsSink, TOKENS.SinkOptions, { overwrite: true }).options).toEqual({ overwrite: true });
  });
});
