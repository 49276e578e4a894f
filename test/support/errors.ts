/**
 * Assertion helpers shared by the tests (not published).
 */
import { expect } from 'vitest';
import { asConfigError, type ConfigError, type ErrorCode } from '../../src/foundation/errors.js';

export interface ExpectedError {
  code: ErrorCode;
  file?: string | RegExp;
  line?: number;
  column?: number;
  key?: string;
  source?: string | RegExp;
}

function check(err: unknown, expected: ExpectedError): ConfigError {
  const ce = asConfigError(err);
  expect(ce, `expected a ConfigError, got ${String(err)}`).toBeDefined();
  expect(ce!.code).toBe(expected.code);
  const loc = ce!.location ?? {};
  if (expected.file !== undefined) expect(loc.file).toMatch(expected.file);
  if (expected.line !== undefined) expect(loc.line).toBe(expected.line);
  if (expected.column !== undefined) expect(loc.column).toBe(expected.column);
  if (expected.key !== undefined) expect(loc.key).toBe(expected.key);
  if (expected.source !== undefined) expect(loc.source).toMatch(expected.source);
  return ce!;
}

/** Awaits `p` and checks it rejects with a ConfigError matching `expected`; returns the error. */
export async function expectConfigError(p: Promise<unknown> | (() => unknown), expected: ExpectedError): Promise<ConfigError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return check(err, expected);
  }
  throw new Error(`expected a ConfigError ${expected.code}, but nothing was thrown`);
}

/** The canary secret used across secret-leak tests. */
export const CANARY = 'sk-CANARY-7f3a9c2e51d04b86';

/** Asserts `text` (any rendering of an output channel) does not contain the canary. */
export function expectNoSecret(text: unknown, canary = CANARY): void {
  const s = typeof text === 'string' ? text : JSON.stringify(text) ?? String(text);
  expect(s.includes(canary), `secret canary leaked into: ${s.slice(0, 300)}`).toBe(false);
}
