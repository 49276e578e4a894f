/**
 * How a ConfigError prints outside the CLI: `util.inspect` (console.log, loggers), `stack` (what
 * Node prints for an uncaught error), and the fields a debugger or `Object.keys` sees.
 * test/consumer/runtime.test.ts checks the same through real uncaught errors on Node 20/22/24.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue, formatConfigError, formatErrorReport } from '../src/foundation/errors.js';
import { CANARY, expectNoSecret } from './support/errors.js';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confstack-inspect-'));
  file = join(dir, 'config.yaml');
  await writeFile(file, `server:\n  port: abc\nllm_providers:\n  - { name: openai, api_key: ${CANARY} }\ndb: { url: 'postgres://app:${CANARY}@db:5432/app' }\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A ConfigError built here, so its frames point at this file. */
function parseError(line: number, column: number): ConfigError {
  return new ConfigError({ op: 'parse', code: 'parse_failed', message: 'unexpected token', location: { file, line, column } });
}

function issues(n: number): ConfigIssue[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `items.${i}`,
    message: 'Invalid input: expected number, received string',
    code: 'invalid_type',
    origin: { provider: 'file:config', type: 'file', location: file, line: 2, column: 9 },
  }));
}

describe('ConfigError under util.inspect', () => {
  it('prints file:line:col: message [code], the source line with a caret, then the stack frames', () => {
    const lines = inspect(parseError(2, 9)).split('\n');
    expect(lines.slice(0, 3)).toEqual([`${file}:2:9: parse: unexpected token [parse_failed]`, '  2 |   port: abc', '    |         ^']);
    expect(lines[3]).toMatch(/^ {4}at parseError \(.*errors-inspect\.test\.ts:\d+:\d+\)$/);
    expect(lines.slice(3).every((l) => l.startsWith('    at '))).toBe(true);
  });

  it('masks secrets in the source line: secret keys and passwords in URLs', () => {
    const text = inspect(parseError(4, 5));
    expect(text).toContain('api_key: [REDACTED]');
    expectNoSecret(text);
    const url = inspect(parseError(5, 7));
    expect(url).toContain("  5 | db: { url: 'postgres://app:[REDACTED]@db:5432/app' }");
    expectNoSecret(url);
  });

  it('lists no field, so nothing shows as undefined', () => {
    const text = inspect(new ConfigError({ op: 'load', code: 'load_failed', message: 'it failed' }));
    expect(text.split('\n')[0]).toBe('confstack: load: it failed [load_failed]');
    expect(text).not.toContain('undefined');
    expect(text).not.toMatch(/provider:|format:|\{/);
  });

  it('shows at most 20 issues, then how many more', () => {
    const err = new ConfigError({ op: 'validate', code: 'validation_failed', message: '500 validation issues', issues: issues(500) });
    const lines = inspect(err).split('\n');
    expect(lines.filter((l) => l.includes(': items.'))).toHaveLength(20);
    expect(lines).toContain('… and 480 more issues (all of them in err.issues)');
    expect(lines.length).toBeLessThan(20 * 3 + 2 + 12);
    expect(err.issues).toHaveLength(500);
  });

  it('names a non-Error cause by its type and never prints it', () => {
    const err = new ConfigError({ op: 'validate', code: 'invalid_parameters', message: 'the schema threw', cause: CANARY });
    const text = inspect(err);
    expect(text).toContain('  [cause] a thrown string (not an Error)');
    expectNoSecret(text);
    expect(formatConfigError(err)).toContain('  caused by: a thrown string (not an Error)');
    expect(err.toJSON().cause).toEqual({ name: 'string' });
    expect(inspect(new ConfigError({ op: 'o', code: 'load_failed', message: 'm', cause: null }))).toContain('[cause] a thrown null (not an Error)');
  });

  it("shows a foreign cause's name and frames, not its message", () => {
    function userRefinement(): never {
      throw new TypeError(`cannot read ${CANARY}`);
    }
    let cause: unknown;
    try {
      userRefinement();
    } catch (e) {
      cause = e;
    }
    const text = inspect(new ConfigError({ op: 'validate', code: 'invalid_parameters', message: 'the schema threw', cause }));
    expect(text).toMatch(/^ {2}\[cause\] TypeError\n {4}at userRefinement \(.*errors-inspect\.test\.ts:\d+:\d+\)$/m);
    expectNoSecret(text);
  });

  it('is one short token when nested past the depth limit', () => {
    expect(inspect({ a: parseError(2, 9) }, { depth: 0 })).toBe('{ a: [ConfigError: parse_failed] }');
  });
});

describe('ConfigError fields', () => {
  it('has no own property for an optional field that was not given', () => {
    const err = new ConfigError({ op: 'load', code: 'load_failed', message: 'm' });
    expect(Object.keys(err).sort()).toEqual(['code', 'name', 'op', 'retryable']);
    expect('provider' in err || 'format' in err || 'location' in err || 'issues' in err).toBe(false);
    expect(Object.values(err)).not.toContain(undefined);
  });

  it('keeps issues and detail readable but out of enumeration (Node prints enumerable fields of an uncaught error)', () => {
    const err = new ConfigError({ op: 'validate', code: 'validation_failed', message: 'bad', issues: issues(3), provider: 'file:config' });
    expect(err.detail).toBe('bad');
    expect(err.issues).toHaveLength(3);
    expect(Object.keys(err)).not.toContain('issues');
    expect(Object.keys(err)).toContain('provider');
    expect(JSON.parse(JSON.stringify(err)).issues).toHaveLength(3);
  });
});

describe('ConfigError#stack', () => {
  it('is the header line, one located line per issue and the frames', () => {
    const err = new ConfigError({ op: 'validate', code: 'validation_failed', message: '2 validation issues', issues: issues(2) });
    const lines = err.stack!.split('\n');
    expect(lines[0]).toBe(`ConfigError: ${err.message}`);
    expect(lines.slice(1, 3)).toEqual([
      `${file}:2:9: items.0: Invalid input: expected number, received string [invalid_type]`,
      `${file}:2:9: items.1: Invalid input: expected number, received string [invalid_type]`,
    ]);
    expect(lines[3]).toMatch(/^ {4}at .*errors-inspect\.test\.ts:\d+:\d+\)?$/);
  });

  // Loggers serialise `stack`; a source line can hold a secret under an innocent key.
  it('holds no source excerpt, so no secret from the file', () => {
    const stack = parseError(4, 5).stack!;
    expect(stack.split('\n')[0]).toBe(`ConfigError: parse: unexpected token (${file}:4:5) [parse_failed]`);
    expect(stack.split('\n')[1]).toMatch(/^ {4}at parseError /);
    expect(stack).not.toContain('api_key');
    expectNoSecret(stack);
  });

  it('bounds the issues it lists', () => {
    const err = new ConfigError({ op: 'validate', code: 'validation_failed', message: 'bad', issues: issues(500) });
    expect(err.stack!.split('\n').length).toBeLessThan(40);
    expect(err.stack).toContain('… and 480 more issues');
  });

  it("leaves Error.stackTraceLimit as it was and honours it, also when a hardened realm froze it", () => {
    const before = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')!;
    const frames = (e: Error) => e.stack!.split('\n').filter((l) => l.startsWith('    at ')).length;
    try {
      Error.stackTraceLimit = 2;
      const limited = new ConfigError({ op: 'load', code: 'load_failed', message: 'x' });
      expect(Error.stackTraceLimit).toBe(2);
      expect(frames(limited)).toBe(2);
      Object.defineProperty(Error, 'stackTraceLimit', { value: 5, writable: false, configurable: true });
      const frozen = new ConfigError({ op: 'load', code: 'load_failed', message: 'x' });
      expect(Error.stackTraceLimit).toBe(5);
      expect(frames(frozen)).toBeGreaterThan(0);
      expect(frozen.stack!.split('\n')[1]).toMatch(/^ {4}at .*errors-inspect\.test\.ts:\d+:\d+\)?$/);
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', before);
    }
  });

  it('can be replaced, as error-wrapping libraries do', () => {
    const err = parseError(2, 9);
    err.stack = 'ConfigError: replaced';
    expect(err.stack).toBe('ConfigError: replaced');
  });
});

describe('formatErrorReport', () => {
  it('is what the CLI prints: every issue unless told otherwise', () => {
    const err = new ConfigError({ op: 'validate', code: 'validation_failed', message: '30 issues', issues: issues(30) });
    expect(formatErrorReport(err).split('\n').filter((l) => l.includes(': items.'))).toHaveLength(30);
    const bounded = formatErrorReport(err, { maxIssues: 5 }).split('\n');
    expect(bounded.filter((l) => l.includes(': items.'))).toHaveLength(5);
    expect(bounded.at(-1)).toBe('… and 25 more issues (all of them in err.issues)');
  });
});
