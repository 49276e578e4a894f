/** Shared helpers for the format tests: parse a fixture, capture the ConfigError a parse throws. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/foundation/errors.js';
import type { Format, ParseContext } from '../../src/formats/format.js';
import { resolveLimits, type Limits } from '../../src/tree/limits.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixture(rel: string): string {
  return readFileSync(`${FIXTURES}${rel}`, 'utf8');
}

export function ctxFor(source = 'test.cfg', limits?: Partial<Limits>): ParseContext {
  return { source, limits: resolveLimits(limits), provider: 'file:test' };
}

/** Runs `fn` and returns the ConfigError it throws (fails the test on success or a foreign error). */
export function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw new Error(`expected a ConfigError, got ${String(err)}`);
  }
  throw new Error('expected a ConfigError, parse succeeded');
}

/** The ConfigError from parsing `text` with `format`. */
export function parseError(format: Format, text: string, limits?: Partial<Limits>, source = 'test.cfg'): ConfigError {
  return errorOf(() => format.parse(text, ctxFor(source, limits)));
}
