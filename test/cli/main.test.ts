/**
 * The built `confstack` binary, spawned: every command, exit codes 0/1/2, redaction (S8, C6),
 * compiler-style errors (C3), file faults (C4), EPIPE and SIGINT (C5), usage errors (C1, C7),
 * and `--set` pollution attempts (C2).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdBinary, startEtcd, type EtcdServer } from '../support/etcd-server.js';
import { tempDir } from '../support/temp.js';
import { assertBuilt, confstack, hasStackTrace, shell, startCli } from './cli-process.js';

const CANARY = 'sk-CANARY-cli-0001';
const BASE = `server:
  port: 8080
  host: localhost
llm_providers:
  - name: openai
    provider: openai
    model_name: gpt-4o-mini
    api_key: ${CANARY}
agents:
  - name: helper
    llm_provider_name: openai
`;

let dir: string;
let base: string;
beforeAll(() => {
  assertBuilt();
  dir = tempDir({ 'config/config.yaml': BASE, 'override.yaml': 'server:\n  port: 7070\n', 'config/config.staging.yaml': 'server:\n  host: staging.internal\n' });
  base = join(dir, 'config/config.yaml');
});

function expectClean(r: { stdout: string; stderr: string }): void {
  expect(hasStackTrace(r.stderr)).toBe(false);
  expect(hasStackTrace(r.stdout)).toBe(false);
}

describe('confstack print', () => {
  it('prints the merged config as YAML with secrets redacted (to a pipe too)', () => {
    const r = confstack(['print', '-c', base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('port: 8080');
    expect(r.stdout).toContain('api_key: "[REDACTED]"');
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    expect(r.stderr).toBe('');
  });

  it('finds ./config/config.yaml by itself when no -c is given', () => {
    const r = confstack(['print', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).server.port).toBe(8080);
  });

  it('reveals secrets only with --show-secrets, warning on stderr', () => {
    const r = confstack(['print', '-c', base, '--show-secrets']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(CANARY);
    expect(r.stderr).toMatch(/warning: --show-secrets/);
  });

  it('prints JSON with --format json and with --json, with schema defaults applied', () => {
    for (const flag of [['--format', 'json'], ['--json']]) {
      const r = confstack(['print', '-c', base, ...flag]);
      const out = JSON.parse(r.stdout);
      expect(out.llm_providers[0]).toMatchObject({ api_key: '[REDACTED]', default_call_options: { temperature: 0.7, max_tokens: 1000 } });
    }
  });

  it('--sources annotates each value with file:line:col, env var or defaults', () => {
    const r = confstack(['print', '--sources', '-c', base], { env: { CONFSTACK_SERVER__PORT: '9090' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/port: 9090 # env CONFSTACK_SERVER__PORT/);
    expect(r.stdout).toContain(`host: localhost # ${base}:3:3`);
    expect(r.stdout).toMatch(/temperature: 0.7 # /);
    expect(r.stdout).not.toMatch(/\[\]\n\s*#/); // no detached comments under empty lists
    expect(r.stdout).toMatch(/^# sources, highest priority first:/);
    expect(r.stdout).not.toContain(CANARY);
  });

  it('--sources --format json gives values, origins and sources', () => {
    const r = confstack(['print', '--sources', '--format', 'json', '-c', base]);
    const out = JSON.parse(r.stdout);
    expect(out.origins['server.port']).toMatchObject({ location: base, line: 2, column: 3, source: `${base}:2:3` });
    expect(out.sources.map((s: { type: string }) => s.type)).toEqual(['env', 'file']);
  });

  it('layers repeated -c files: later ones win', () => {
    const r = confstack(['get', 'server.port', '-c', base, '-c', join(dir, 'override.yaml')]);
    expect(r.stdout.trim()).toBe('7070');
    const rev = confstack(['get', 'server.port', '-c', join(dir, 'override.yaml'), '-c', base]);
    expect(rev.stdout.trim()).toBe('8080');
  });

  it('applies a --profile overlay next to a -c file and in the default search', () => {
    expect(confstack(['get', 'server.host', '-c', base, '--profile', 'staging']).stdout.trim()).toBe('staging.internal');
    expect(confstack(['get', 'server.host', '--profile', 'staging'], { cwd: dir }).stdout.trim()).toBe('staging.internal');
    expect(confstack(['get', 'server.host'], { cwd: dir, env: { CONFSTACK_PROFILE: 'staging' } }).stdout.trim()).toBe('staging.internal');
  });

  it('honours --env-prefix', () => {
    expect(confstack(['get', 'server.port', '-c', base, '--env-prefix', 'APP'], { env: { APP_SERVER__PORT: '1234', CONFSTACK_SERVER__PORT: '1' } }).stdout.trim()).toBe('1234');
  });

  it('--set overrides everything below it', () => {
    const r = confstack(['get', 'server.port', '-c', base, '--set', 'server.port=5555'], { env: { CONFSTACK_SERVER__PORT: '9090' } });
    expect(r.stdout.trim()).toBe('5555');
  });
});

describe('confstack get', () => {
  it.each([
    { key: 'server.port', out: '8080' },
    { key: 'llm_providers[0].model_name', out: 'gpt-4o-mini' },
    { key: 'llm_providers.0.api_key', out: '[REDACTED]' },
    { key: 'server', out: 'port: 8080\nhost: localhost' },
  ])('prints $key', ({ key, out }) => {
    const r = confstack(['get', key, '-c', base]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(out);
  });

  it('prints JSON with --json and reveals a secret only with --show-secrets', () => {
    expect(confstack(['get', 'server', '-c', base, '--json']).stdout.trim()).toBe('{"port":8080,"host":"localhost"}');
    const r = confstack(['get', 'llm_providers.0.api_key', '-c', base, '--show-secrets']);
    expect(r.stdout.trim()).toBe(CANARY);
    expect(r.stderr).toMatch(/warning/);
  });

  it('exits 1 with key_not_found for an unset key (JSON error with --json)', () => {
    const r = confstack(['get', 'server.nope', '-c', base, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'key_not_found', location: { key: 'server.nope' } });
  });

  it.each([['a..b', 2, 'invalid_parameters'], ['__proto__.polluted', 1, 'forbidden_key']])('rejects the key %s (exit %i, %s)', (key, code, errorCode) => {
    const r = confstack(['get', key, '-c', base, '--json']);
    expect(r.code).toBe(code);
    expect(JSON.parse(r.stderr).error.code).toBe(errorCode);
  });
});

describe('confstack explain', () => {
  it('names the env var that overrode a file value', () => {
    const r = confstack(['explain', 'server.port', '-c', base], { env: { CONFSTACK_SERVER__PORT: '9090' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^server.port = 9090\n  set by env CONFSTACK_SERVER__PORT/);
  });

  it('names file:line:col for a file value, and redacts secrets', () => {
    const r = confstack(['explain', 'llm_providers.0.api_key', '-c', base, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ key: 'llm_providers.0.api_key', value: '[REDACTED]', source: `${base}:8:5` });
    expect(r.stdout).not.toContain(CANARY);
  });

  it('lists every layer under the winner by default, and with --all the sources without a value', () => {
    const over = join(dir, 'override.yaml');
    const r = confstack(['explain', 'server.port', '-c', base, '-c', over], { env: { CONFSTACK_SERVER__PORT: '9090' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  layers, highest priority first:\n    winner     9090  from env CONFSTACK_SERVER__PORT (env:CONFSTACK)\n    overridden 7070  from ${over}:2:3`);
    expect(r.stdout).toContain(`    overridden 8080  from ${base}:2:3`);
    const all = confstack(['explain', 'server.host', '-c', base, '-c', over, '--all', '--json']);
    const out = JSON.parse(all.stdout) as { layers: { role: string; at: string }[]; without: string[] };
    expect(out.layers).toEqual([expect.objectContaining({ role: 'winner', at: `${base}:3:3` })]);
    expect(out.without).toEqual(['env:CONFSTACK', `file:${over}`]);
  });

  it('keeps every layer of a secret redacted, even with --show-secrets', () => {
    const r = confstack(['explain', 'llm_providers', '-c', base, '--json'], { env: { CONFSTACK_LLM_PROVIDERS__OPENAI__API_KEY: `${CANARY}-env` } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(CANARY);
    const layers = (JSON.parse(r.stdout) as { layers: { type: string; role: string }[] }).layers;
    expect(layers.map((l) => [l.type, l.role])).toEqual([
      ['env', 'merged'],
      ['file', 'merged'],
      ['defaults', 'merged'],
    ]);
  });
});

describe('URL passwords under any key (issue 14)', () => {
  const PW = 'pw-CANARY-url-0002';
  let file: string;
  beforeAll(() => {
    file = join(tempDir({ 'c.yaml': `server:\n  port: 1\ndatabase:\n  url: postgres://app:${PW}@db.local:5432/app\n  replicas: [redis://:${PW}@r1:6379]\n` }), 'c.yaml');
  });

  it.each([
    [['print']],
    [['print', '--format', 'json']],
    [['print', '--sources']],
    [['print', '--sources', '--format', 'json']],
    [['get', 'database.url']],
    [['get', 'database', '--json']],
    [['explain', 'database.url']],
    [['explain', 'database.url', '--json']],
  ])('%j masks the password and keeps scheme, user and host', (args) => {
    const r = confstack([...args, '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(PW);
    expect(r.stdout).toContain('postgres://app:[REDACTED]@db.local:5432/app');
  });

  it('--show-secrets prints the URL in clear on stdout only', () => {
    const r = confstack(['get', 'database.url', '-c', file, '--show-secrets']);
    expect(r.stdout.trim()).toBe(`postgres://app:${PW}@db.local:5432/app`);
    expect(r.stderr).not.toContain(PW);
  });

  it('an --etcd endpoint with a password never shows it in the error (exit 1)', () => {
    const r = confstack(['print', '-c', file, '--etcd', `http://root:${PW}@127.0.0.1:1`, '--etcd-prefix', '/app/', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(PW);
    expect(JSON.parse(r.stderr).error.code).toBe('provider_unavailable');
  });
});

describe('confstack serve', () => {
  it('serves the explorer over the watched config on loopback, shows reloads, and stops on SIGINT with exit 0', async () => {
    const wdir = tempDir({ 'config.yaml': `server:\n  port: 1\ndb:\n  password: ${CANARY}\n` });
    const file = join(wdir, 'config.yaml');
    const s = startCli(['serve', '--port', '0', '-c', file]);
    try {
      await s.waitFor(/^http:\/\/127\.0\.0\.1:\d+\/$/m);
      const url = s.stdout.trim();
      // stdout and stderr are separate pipes: the notice may arrive after the URL.
      await s.waitFor(/explorer at http:\/\/127\.0\.0\.1:\d+\/ \(read-only, values redacted; Ctrl-C to stop\)/);
      expect(s.stderr).toContain(`explorer at ${url} (read-only`);
      const config = (await (await fetch(`${url}api/config`)).json()) as { config: { server: { port: number }; db: { password: string } } };
      expect(config.config.server.port).toBe(1);
      expect(config.config.db.password).toBe('[REDACTED]');
      const health = (await (await fetch(`${url}api/health`)).json()) as { available: boolean; providers: Record<string, unknown> };
      expect(health.available).toBe(true);
      expect(Object.keys(health.providers)).toEqual(['env:CONFSTACK', `file:${file}`]);
      // The reference is the framework preset's JSON Schema (no project file here).
      const ref = (await (await fetch(`${url}api/reference`)).json()) as { available: boolean; schema: { properties: Record<string, unknown> }; markdown: string };
      expect(ref.available).toBe(true);
      expect(Object.keys(ref.schema.properties)).toContain('llm_providers');
      // And the Markdown reference `confstack docs` prints.
      expect(ref.markdown).toBe(confstack(['docs', '-c', file]).stdout);
      writeFileSync(file, `server:\n  port: 2\ndb:\n  password: ${CANARY}\n`);
      const deadline = Date.now() + 10_000;
      let entries: { outcome: string; changedKeys: string[] }[] = [];
      while (entries.length === 0 && Date.now() < deadline) {
        entries = ((await (await fetch(`${url}api/history`)).json()) as { entries: typeof entries }).entries;
        if (entries.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(entries).toMatchObject([{ outcome: 'applied', changedKeys: ['server.port'] }]);
      s.child.kill('SIGINT');
      expect(await s.exited).toBe(0);
      expect(s.stdout + s.stderr).not.toContain(CANARY);
      expectClean({ stdout: s.stdout, stderr: s.stderr });
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('needs the token on the API when given one', async () => {
    const s = startCli(['serve', '--port', '0', '--token', 'serve-token-0123456789abc', '-c', base, '--json']);
    try {
      await s.waitFor(/"event":"listening"/);
      const { url } = JSON.parse(s.stdout.trim().split('\n')[0]!) as { url: string };
      expect((await fetch(`${url}api/config`)).status).toBe(401);
      expect((await fetch(`${url}api/config`, { headers: { authorization: 'Bearer serve-token-0123456789abc' } })).status).toBe(200);
      expect((await fetch(url)).status).toBe(200);
      s.child.kill('SIGINT');
      expect(await s.exited).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('exits 1 with a located error when the port is taken', async () => {
    const { createServer } = await import('node:http');
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    try {
      const r = confstack(['serve', '--port', String((taken.address() as { port: number }).port), '-c', base]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/serve: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\) \[invalid_parameters\]/);
      expectClean(r);
    } finally {
      taken.close();
    }
  });

  it.each([
    [['serve', '--host', '0.0.0.0'], /needs --token/],
    [['serve', '--host', '192.168.1.5', '--port', '80'], /needs --token/],
    [['serve', '--port', '70000'], /--port must be a number/],
    [['serve', '--token', 'short'], /at least 16 characters/],
  ])('refuses %j with exit 2', (args, message) => {
    const r = confstack([...args, '-c', base]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('confstack validate', () => {
  it('exits 0 and lists the sources for a valid config', () => {
    const r = confstack(['validate', '-c', base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/configuration is valid/);
    expect(JSON.parse(confstack(['validate', '-c', base, '--json']).stdout)).toMatchObject({ valid: true });
  });

  it('reports every issue compiler-style with the line and a caret, without secrets (C3)', () => {
    const bad = join(tempDir({ 'bad.yaml': `llm_providers:\n  - name: openai\n    provider: openai\n    api_key: ${CANARY}\n    default_call_options:\n      max_tokens: zero\nagents:\n  - name: a\n    llm_provider_name: missing\n` }), 'bad.yaml');
    const r = confstack(['validate', '-c', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^confstack: validate: .* \[validation_failed\]$/);
    expect(r.stderr).toContain(`${bad}:6:7: llm_providers.0.default_call_options.max_tokens:`);
    expect(r.stderr).toMatch(/\n {2}6 \| {7}max_tokens: zero\n {4}\| {7}\^/);
    expect(r.stderr).toMatch(/model_name/);
    expect(r.stderr).toMatch(/\[validation_failed\]|\[invalid_type\]/);
    expect(r.stderr + r.stdout).not.toContain(CANARY);
    expectClean(r);
    const j = confstack(['validate', '-c', bad, '--json']);
    expect(j.code).toBe(1);
    const err = JSON.parse(j.stderr).error;
    expect(err.code).toBe('validation_failed');
    expect(err.issues.length).toBeGreaterThanOrEqual(3);
    expect(j.stderr).not.toContain(CANARY);
  });

  it('shows a parse error at line:col with the secret on that line masked (P20)', () => {
    const bad = join(tempDir({ 'bad.yaml': `server:\n  port: 1\napi_key: "${CANARY}\n  x: [\n` }), 'bad.yaml');
    const r = confstack(['validate', '-c', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: .*\\[parse_failed\\]`));
    expect(r.stderr).not.toContain(CANARY);
    expectClean(r);
  });

  it.each([
    { name: 'a missing file', path: () => join(dir, 'nope.yaml'), code: 'file_not_found' },
    { name: 'a directory', path: () => join(dir, 'config'), code: /^(invalid_config|file_access_error)$/ },
  ])('fails on $name with a distinct code (C4)', ({ path, code }) => {
    const r = confstack(['validate', '-c', path(), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.code).toMatch(code);
    expectClean(r);
  });

  it('fails on an unreadable file with file_access_error (C4; root can read anything)', () => {
    const p = join(tempDir({ 'locked.yaml': 'a: 1\n' }), 'locked.yaml');
    chmodSync(p, 0o000);
    const r = confstack(['validate', '-c', p, '--json']);
    if (process.getuid?.() === 0) expect(r.code).toBe(0);
    else expect(JSON.parse(r.stderr).error.code).toBe('file_access_error');
    chmodSync(p, 0o644);
  });

  it('exits 1 with interpolation_failed naming the variable', () => {
    const p = join(tempDir({ 'i.yaml': 'server:\n  url: ${MISSING_VAR_FOR_CLI}\n' }), 'i.yaml');
    const r = confstack(['validate', '-c', p, '--json']);
    expect(r.code).toBe(1);
    const err = JSON.parse(r.stderr).error;
    expect(err.code).toBe('interpolation_failed');
    expect(r.stderr).toContain('MISSING_VAR_FOR_CLI');
  });
});

describe('confstack health', () => {
  it('prints the summary and exits 0 when healthy', () => {
    const r = confstack(['health', '-c', base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^status: healthy/);
    // Two observations per source: the load, then the check.
    expect(r.stdout).toMatch(/\n    latency p50 [\d.]+ \/ p95 [\d.]+ \/ p99 [\d.]+ ms, 2 observations, no errors, last success \d+ ms ago\n/);
    expect(r.stdout).toMatch(/\nvalidation: 1 run, 0 failed\n  latency p50 /);
    const json = JSON.parse(confstack(['health', '-c', base, '--json']).stdout);
    expect(json).toMatchObject({ status: 'healthy', validation: { figures: { count: 1, errors: 0 } } });
    expect(json.providers[`file:${base}`].figures).toMatchObject({ count: 2, errorsByCode: {}, latencyMs: { p50: expect.any(Number), p99: expect.any(Number) } });
  });

  it('exits 1 when the config does not load', () => {
    const r = confstack(['health', '-c', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/file_not_found/);
    expectClean(r);
  });
});

describe('confstack schema', () => {
  it('prints the framework JSON Schema', () => {
    const r = confstack(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['llm_providers', 'embedding_providers', 'vector_stores', 'tools', 'agents']));
  });
});

describe('confstack providers', () => {
  it('lists the built-in provider types with metadata', () => {
    const r = confstack(['providers']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^TYPE\s+FORMATS\s+CAPABILITIES$/);
    const list = JSON.parse(confstack(['providers', '--json']).stdout) as { name: string; capabilities: string[] }[];
    expect(list.map((m) => m.name)).toEqual(expect.arrayContaining(['file', 'yaml', 'json', 'toml', 'env', 'defaults', 'composite', 'etcd']));
    expect(list.find((m) => m.name === 'etcd')?.capabilities).toContain('remote');
  });
});

describe('confstack --etcd', () => {
  let etcd: EtcdServer | undefined;
  beforeAll(async () => {
    if (etcdBinary()) etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it('fails with provider_unavailable (exit 1, JSON error) when the etcd endpoint is unreachable', () => {
    const r = confstack(['get', 'server.port', '-c', base, '--etcd', 'http://127.0.0.1:1', '--etcd-prefix', '/app/', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(r.stdout).toBe('');
  });

  // A real etcd is needed; scripts/test.sh installs it, so a skip here is reported, never passed.
  it.skipIf(!etcdBinary())('layers the keys under --etcd-prefix on top of files and env', async () => {
    await etcd!.put('/cli-app/server/port', '6060');
    const r = confstack(['explain', 'server.port', '-c', base, '--etcd', etcd!.endpoint, '--etcd-prefix', '/cli-app/', '--json'], { env: { CONFSTACK_SERVER__PORT: '9090' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ value: 6060, origin: { type: 'etcd' } });
  });
});

describe('confstack usage errors', () => {
  it.each([
    { argv: ['prnt'], stderr: /Did you mean print\?/ },
    { argv: ['print', '--formt', 'json'], stderr: /Did you mean --format\?/ },
    { argv: ['print', '--format', 'xml'], stderr: /yaml, json/ },
    { argv: ['print', '--json', '--format', 'yaml'], stderr: /conflict/ },
    { argv: ['print', '--set', 'a.b'], stderr: /key=value/ },
    { argv: ['--__proto__.x=1', 'print'], stderr: /unknown option/ },
    { argv: [], stderr: /Usage: confstack/ },
  ])('exits 2 for $argv (C1, C7)', ({ argv, stderr }) => {
    const r = confstack(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
    expectClean(r);
  });

  it.each([['print'], ['get'], ['explain'], ['validate'], ['health'], ['schema'], ['providers'], ['watch'], ['serve']])('%s --help exits 0', (cmd) => {
    const r = confstack([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: confstack ${cmd}`);
  });

  it.each([['__proto__.x=1'], ['constructor.prototype.x=1']])('rejects --set %s with forbidden_key (C2)', (set) => {
    const r = confstack(['print', '-c', base, '--set', set, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.code).toBe('forbidden_key');
  });
});

describe('confstack process behaviour', () => {
  // Node 22.1+ has a compile cache (module.enableCompileCache); the CLI turns it on, in os.tmpdir().
  const hasCompileCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  const cachedFiles = (tmp: string) => (existsSync(join(tmp, 'node-compile-cache')) ? readdirSync(join(tmp, 'node-compile-cache'), { recursive: true }).length : 0);

  it(`keeps its compiled code in Node's compile cache ${hasCompileCache ? '(this Node has one)' : '(none on this Node: nothing is written)'}`, () => {
    const tmp = tempDir({});
    const r = confstack(['validate', '-c', base], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(0);
    expect(cachedFiles(tmp) > 0).toBe(hasCompileCache);
    // and the run after it, from the cache, gives the same answer
    expect(confstack(['validate', '-c', base], { env: { TMPDIR: tmp } })).toEqual(r);
  });

  it('leaves the compile cache off with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const tmp = tempDir({});
    expect(confstack(['--version'], { env: { TMPDIR: tmp, NODE_DISABLE_COMPILE_CACHE: '1' } }).code).toBe(0);
    expect(cachedFiles(tmp)).toBe(0);
  });

  it('exits quietly when the reader closes the pipe early (EPIPE, C5)', () => {
    const items = Array.from({ length: 4000 }, (_, i) => `  - name: tool-${i}\n    provider: builtin\n    description: ${'x'.repeat(40)}\n`).join('');
    const big = join(tempDir({ 'big.yaml': `tools:\n${items}` }), 'big.yaml');
    const r = shell(`"$NODE" "$CLI" print -c "${big}" | head -1; echo "status=\${PIPESTATUS[0]}" >&2`);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stderr.trim()).toBe('status=0');
  });

  it('watch prints applied changes and rejections, then stops on SIGINT with exit 0', async () => {
    const wdir = tempDir({ 'config.yaml': 'server:\n  port: 1\nllm_providers:\n  - name: a\n    provider: p\n    model_name: m\n    api_key: k1-secret\n' });
    const file = join(wdir, 'config.yaml');
    const w = startCli(['watch', '-c', file]);
    try {
      await w.waitFor(/watching/);
      writeFileSync(file, 'server:\n  port: 2\nllm_providers:\n  - name: a\n    provider: p\n    model_name: m\n    api_key: k2-secret\n');
      await w.waitFor(/server\.port: 1 → 2/);
      expect(w.stdout).toMatch(/api_key: \[REDACTED\] → \[REDACTED\]/);
      writeFileSync(file, 'server:\n  port: [\n');
      await w.waitFor(/rejected reload/);
      expect(w.stdout).toMatch(/parse_failed|reload_rejected/);
      w.child.kill('SIGINT');
      expect(await w.exited).toBe(0);
      expect(w.stdout + w.stderr).not.toMatch(/k[12]-secret/);
      expectClean({ stdout: w.stdout, stderr: w.stderr });
    } finally {
      w.child.kill('SIGKILL');
    }
  });

  it('watch --json prints one JSON event per line', async () => {
    const wdir = tempDir({ 'config.yaml': 'server:\n  port: 1\n' });
    const file = join(wdir, 'config.yaml');
    const w = startCli(['watch', '-c', file, '--json']);
    try {
      await w.waitFor(/"event":"loaded"/);
      mkdirSync(join(wdir, 'unrelated'));
      writeFileSync(file, 'server:\n  port: 3\n');
      await w.waitFor(/"event":"change"/);
      w.child.kill('SIGINT');
      expect(await w.exited).toBe(0);
      const events = w.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(events.find((e) => e.event === 'change').changes).toContainEqual({ key: 'server.port', old: 1, new: 3 });
    } finally {
      w.child.kill('SIGKILL');
    }
  });
});
