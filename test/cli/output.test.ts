import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/foundation/errors.js';
import {
  codeFrame,
  formatChange,
  formatCliError,
  leafPaths,
  maskSecretsInLine,
  sourcesJson,
} from '../../src/cli/output.js';
import { renderValue, renderYamlWithSources } from '../../src/cli/render.js';

const CANARY = 'sk-CANARY-0123456789';

describe('maskSecretsInLine', () => {
  it.each([
    { line: `  api_key: ${CANARY}`, expected: '  api_key: [REDACTED]' },
    { line: `apiKey = "${CANARY}"`, expected: 'apiKey = [REDACTED]' },
    { line: `  "apiKey": ${CANARY}`, expected: '  "apiKey": [REDACTED]' },
    { line: `OPENAI_API_KEY=${CANARY}`, expected: 'OPENAI_API_KEY=[REDACTED]' },
    { line: `- {name: x, api_key: ${CANARY}, model: m}`, expected: '- {name: x, api_key: [REDACTED], model: m}' },
    { line: `  connection_string: postgres://u:${CANARY}@h/db`, expected: '  connection_string: [REDACTED]' },
    { line: '  max_tokens: 1000', expected: '  max_tokens: 1000' },
    { line: '  port: 8080 # api_key: in a comment', expected: '  port: 8080 # api_key: [REDACTED]' },
  ])('masks $line', ({ line, expected }) => {
    expect(maskSecretsInLine(line)).toBe(expected);
  });

  it('masks the whole value when the line is known to hold a secret', () => {
    expect(maskSecretsInLine(`  value: ${CANARY}`, true)).toBe('  value: [REDACTED]');
    expect(maskSecretsInLine(`    ${CANARY}`, true)).toBe('    [REDACTED]');
  });
});

describe('codeFrame', () => {
  it('shows the line number, the line and a caret under the column', () => {
    expect(codeFrame('  port: abc', 12, 9, false)).toBe('  12 |   port: abc\n     |         ^');
  });

  it('keeps tabs so the caret lines up and cuts very long lines around the column', () => {
    expect(codeFrame('\tx: 1', 1, 2, false).split('\n')[1]).toBe('    | \t^');
    const long = `${'a'.repeat(500)}X${'b'.repeat(500)}`;
    const [text, caret] = codeFrame(long, 1, 501, false).split('\n');
    expect(text!.length).toBeLessThan(230);
    expect(text![caret!.indexOf('^')]).toBe('X');
  });
});

describe('formatCliError', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'confstack-cli-out-'));
    file = join(dir, 'config.yaml');
    await writeFile(file, `server:\n  port: abc\nllm_providers:\n  - name: openai\n    api_key: ${CANARY}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints file:line:col: message [code] and the offending line with a caret', () => {
    const err = new ConfigError({ op: 'parse', code: 'parse_failed', message: 'unexpected token', location: { file, line: 2, column: 9 } });
    const text = formatCliError(err);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${file}:2:9: parse: unexpected token [parse_failed]`);
    expect(lines[1]).toBe('  2 |   port: abc');
    expect(lines[2]).toBe('    |         ^');
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('masks a secret value in the excerpt', () => {
    const err = new ConfigError({ op: 'parse', code: 'parse_failed', message: 'bad scalar', location: { file, line: 5, column: 14 } });
    const text = formatCliError(err);
    expect(text).toContain('api_key: [REDACTED]');
    expect(text).not.toContain('CANARY');
  });

  it('masks the whole line when the error key is a secret path', () => {
    const err = new ConfigError({ op: 'parse', code: 'parse_failed', message: 'bad', location: { file, line: 2, column: 3, key: 'db.password' } });
    expect(formatCliError(err)).toContain('  2 |   port: [REDACTED]');
  });

  it('prints one located block per validation issue, with env origins named', () => {
    const err = new ConfigError({
      op: 'validate',
      code: 'validation_failed',
      message: '2 issues',
      issues: [
        { path: 'llm_providers.0.api_key', message: 'expected string', code: 'invalid_type', origin: { provider: 'file', type: 'file', location: file, line: 5, column: 14 } },
        { path: 'server.port', message: 'expected number', origin: { provider: 'env', type: 'env', location: 'CONFSTACK_SERVER__PORT' } },
      ],
    });
    const text = formatCliError(err);
    expect(text).toContain(`${file}:5:14: llm_providers.0.api_key: expected string [invalid_type]`);
    expect(text).toContain('env CONFSTACK_SERVER__PORT: server.port: expected number [validation_failed]');
    expect(text).toContain('api_key: [REDACTED]');
    expect(text).not.toContain('CANARY');
  });

  it('falls back to the one-line message without a file, and lists cause codes', () => {
    const cause = Object.assign(new Error(`ENOENT ${CANARY}`), { code: 'ENOENT' });
    const err = new ConfigError({ op: 'load', code: 'file_not_found', message: 'no file', cause, location: { key: 'x' } });
    const text = formatCliError(err);
    expect(text.split('\n')[0]).toBe('confstack: load: no file (key x) [file_not_found]');
    expect(text).toContain('caused by: Error ENOENT');
    expect(text).not.toContain('CANARY');
  });

  it('survives a location whose file is gone', () => {
    const err = new ConfigError({ op: 'parse', code: 'parse_failed', message: 'x', location: { file: join(dir, 'gone.yaml'), line: 3, column: 1 } });
    expect(formatCliError(err).trim().split('\n')).toHaveLength(1);
  });
});

describe('renderValue', () => {
  it.each([
    { format: 'yaml' as const, value: { a: { b: 1 } }, expected: 'a:\n  b: 1\n' },
    { format: 'json' as const, value: { a: 1 }, expected: '{\n  "a": 1\n}\n' },
  ])('renders $format', ({ format, value, expected }) => {
    expect(renderValue(value, format)).toBe(expected);
  });
});

describe('renderYamlWithSources', () => {
  it('annotates every leaf with its source', () => {
    const tree = { server: { port: 9090, host: 'h' }, tools: [{ name: 't' }], empty: {} };
    const origins: Record<string, { provider: string; type: string; location?: string; line?: number; column?: number }> = {
      'server.port': { provider: 'env', type: 'env', location: 'CONFSTACK_SERVER__PORT' },
      'server.host': { provider: 'file:c.yaml', type: 'file', location: 'c.yaml', line: 2, column: 9 },
      'tools.0.name': { provider: 'defaults', type: 'defaults' },
    };
    const text = renderYamlWithSources(tree, (p) => origins[p]);
    expect(text).toContain('port: 9090 # env CONFSTACK_SERVER__PORT');
    expect(text).toContain('host: h # c.yaml:2:9');
    expect(text).toContain('- name: t # defaults');
  });
});

describe('leafPaths', () => {
  it('lists canonical leaf paths, including empty containers', () => {
    expect(leafPaths({ a: { b: 1, 'c.d': 2 }, l: [1, { x: 2 }], e: [] })).toEqual(['a.b', 'a["c.d"]', 'l.0', 'l.1.x', 'e']);
  });
});

describe('sourcesJson', () => {
  it('returns values, origins and sources', () => {
    const out = sourcesJson({ a: 1 }, () => ({ provider: 'env', type: 'env', location: 'X_A' }), [{ name: 'env', type: 'env', status: 'loaded' }]);
    expect(out).toEqual({
      config: { a: 1 },
      origins: { a: { provider: 'env', type: 'env', location: 'X_A', source: 'env X_A' } },
      sources: [{ name: 'env', type: 'env', status: 'loaded' }],
    });
  });
});

describe('formatChange', () => {
  it('renders key: old → new', () => {
    expect(formatChange('server.port', 8080, 9090)).toBe('  server.port: 8080 → 9090');
    expect(formatChange('a', undefined, 'x')).toBe('  a: (unset) → x');
  });
});
