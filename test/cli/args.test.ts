import { describe, expect, it } from 'vitest';
import { parseArgs, parseSetOverride } from '../../src/cli/args.js';

function run(argv: string[]) {
  const r = parseArgs(argv, '9.9.9');
  if (r.kind !== 'run') throw new Error(`expected run, got exit ${r.code}: ${r.stderr}`);
  return r.invocation;
}

describe('parseArgs', () => {
  it('collects repeated -c files in the order given, global options before or after the command', () => {
    const inv = run(['-c', 'a.yaml', 'print', '--config', 'b.yaml', '-c', 'c.yaml', '--sources']);
    expect(inv.command).toBe('print');
    expect(inv.global.config).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
    expect(inv.options.sources).toBe(true);
  });

  it.each([
    { argv: ['get', 'server.port'], command: 'get', args: ['server.port'] },
    { argv: ['explain', 'llm_providers[0].model_name'], command: 'explain', args: ['llm_providers[0].model_name'] },
    { argv: ['validate'], command: 'validate', args: [] },
    { argv: ['health'], command: 'health', args: [] },
    { argv: ['schema'], command: 'schema', args: [] },
    { argv: ['providers'], command: 'providers', args: [] },
    { argv: ['watch'], command: 'watch', args: [] },
  ])('parses $argv', ({ argv, command, args }) => {
    const inv = run(argv);
    expect(inv.command).toBe(command);
    expect(inv.args).toEqual(args);
  });

  it('defaults the env prefix and reads --env-prefix, --profile, --json, --etcd', () => {
    expect(run(['validate']).global).toEqual({ config: [], envPrefix: 'CONFSTACK', json: false, set: [] });
    const g = run(['validate', '--env-prefix', 'APP', '--profile', 'production', '--json', '--etcd', 'http://127.0.0.1:2379', '--etcd-prefix', '/app/']).global;
    expect(g).toMatchObject({ envPrefix: 'APP', profile: 'production', json: true, etcd: 'http://127.0.0.1:2379', etcdPrefix: '/app/' });
  });

  it('reads print --format, --show-secrets and --no-validate', () => {
    expect(run(['print', '--format', 'json', '--show-secrets', '--no-validate']).options).toEqual({ format: 'json', showSecrets: true, validate: false });
  });

  it.each([
    { name: 'unknown command (with a suggestion)', argv: ['prnt'], stderr: /unknown command 'prnt'[\s\S]*Did you mean print\?/ },
    { name: 'unknown option (with a suggestion)', argv: ['print', '--formt', 'json'], stderr: /unknown option '--formt'[\s\S]*--format/ },
    { name: 'prototype-looking flag', argv: ['--__proto__.x=1', 'print'], stderr: /unknown option/ },
    { name: 'invalid --format', argv: ['print', '--format', 'xml'], stderr: /yaml, json/ },
    { name: '--json with --format yaml', argv: ['print', '--json', '--format', 'yaml'], stderr: /conflict/ },
    { name: '--etcd without --etcd-prefix', argv: ['validate', '--etcd', 'http://h:2379'], stderr: /--etcd-prefix/ },
    { name: '--etcd-prefix without --etcd', argv: ['validate', '--etcd-prefix', '/a/'], stderr: /needs --etcd/ },
    { name: '--etcd that is not a URL', argv: ['validate', '--etcd', 'h:2379', '--etcd-prefix', '/a/'], stderr: /URL/ },
    { name: 'bad --env-prefix', argv: ['validate', '--env-prefix', 'A-B'], stderr: /env-prefix/ },
    { name: '--set without =', argv: ['print', '--set', 'a.b'], stderr: /key=value/ },
    { name: 'missing key argument', argv: ['get'], stderr: /missing required argument/ },
    { name: 'no command', argv: [], stderr: /Usage: confstack/ },
  ])('exits 2 on $name', ({ argv, stderr }) => {
    const r = parseArgs(argv);
    expect(r.kind).toBe('exit');
    if (r.kind !== 'exit') return;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([['--help'], ['print', '--help'], ['watch', '--help'], ['--version']])('exits 0 with text on stdout for %s', (...argv) => {
    const r = parseArgs(argv, '9.9.9');
    expect(r).toMatchObject({ kind: 'exit', code: 0 });
    if (r.kind === 'exit') expect(r.stdout.length).toBeGreaterThan(0);
  });

  it('shows global options in every command help', () => {
    for (const cmd of ['print', 'get', 'explain', 'validate', 'health', 'schema', 'providers', 'watch']) {
      const r = parseArgs([cmd, '--help']);
      if (r.kind !== 'exit') throw new Error('expected help');
      expect(r.stdout).toContain('--config <file>');
      expect(r.stdout).toContain(`Usage: confstack ${cmd}`);
    }
  });

  it.each([['__proto__.x=1'], ['constructor.prototype.x=1'], ['a.__proto__.b=1'], ['a={"__proto__":{"x":1}}'], ['a=[{"constructor":{}}]']])(
    'rejects --set %s with forbidden_key (exit 1), leaving Object.prototype alone',
    (set) => {
      const r = parseArgs(['print', '--set', set]);
      expect(r).toMatchObject({ kind: 'exit', code: 1 });
      if (r.kind === 'exit') expect(r.error).toMatchObject({ code: 'forbidden_key', location: { source: '--set' } });
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    },
  );
});

describe('parseSetOverride', () => {
  it.each([
    { raw: 'server.port=9090', key: 'server.port', value: 9090 },
    { raw: 'debug=true', key: 'debug', value: true },
    { raw: 'x=null', key: 'x', value: null },
    { raw: 'name=hello world', key: 'name', value: 'hello world' },
    { raw: 'version=1.2.3', key: 'version', value: '1.2.3' },
    { raw: 'empty=', key: 'empty', value: '' },
    { raw: 'eq=a=b', key: 'eq', value: 'a=b' },
    { raw: 'list=[1,2]', key: 'list', value: [1, 2] },
    { raw: 'bad={not json', key: 'bad', value: '{not json' },
  ])('parses $raw', ({ raw, key, value }) => {
    const o = parseSetOverride(raw);
    expect(o.key).toBe(key);
    expect(o.value).toEqual(value);
  });

  it('turns JSON objects into null-prototype trees', () => {
    const o = parseSetOverride('db={"host":"h"}');
    expect(Object.getPrototypeOf(o.value)).toBeNull();
    expect({ ...(o.value as object) }).toEqual({ host: 'h' });
  });

  it('rejects a malformed key path with invalid_parameters', () => {
    expect(() => parseSetOverride('a..b=1')).toThrow(expect.objectContaining({ code: 'invalid_parameters' }));
  });
});
