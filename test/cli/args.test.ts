import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS, parseArgs, parseSetOverride } from '../../src/cli/args.js';

function run(argv: string[]) {
  const r = parseArgs(argv, '9.9.9');
  if (r.kind !== 'run') throw new Error(`expected run, got exit ${r.code}: ${r.stderr}`);
  return r.invocation;
}

/** The stderr of a usage error (exit 2). */
function usageError(argv: string[]): string {
  const r = parseArgs(argv, '9.9.9');
  if (r.kind !== 'exit' || r.code !== 2) throw new Error(`expected exit 2 for ${JSON.stringify(argv)}, got ${JSON.stringify(r)}`);
  expect(r.stdout).toBe('');
  return r.stderr;
}

/** The stdout of a help or version request (exit 0, nothing on stderr). */
function shown(argv: string[]): string {
  const r = parseArgs(argv, '9.9.9');
  if (r.kind !== 'exit' || r.code !== 0) throw new Error(`expected exit 0 for ${JSON.stringify(argv)}, got ${JSON.stringify(r)}`);
  expect(r.stderr).toBe('');
  return r.stdout;
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
    for (const cmd of ['print', 'get', 'explain', 'validate', 'health', 'schema', 'providers', 'watch', 'serve']) {
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

describe('parseArgs: the command line grammar', () => {
  it('reads inline values, short options with attached values and repeated options (the last wins where one value is kept)', () => {
    const inv = run(['print', '--format=json', '-cfoo.yaml', '--set=a=1', '--env-prefix', 'A', '--env-prefix=B', '--format', 'yaml']);
    expect(inv.options.format).toBe('yaml');
    expect(inv.global).toMatchObject({ config: ['foo.yaml'], envPrefix: 'B', set: [{ key: 'a', value: 1 }] });
  });

  it('takes the next word as an option value even when it starts with a dash', () => {
    expect(run(['-c', '--json', 'validate']).global).toMatchObject({ config: ['--json'], json: false });
  });

  it('treats everything after -- as arguments', () => {
    expect(run(['get', '--', '-x']).args).toEqual(['-x']);
    expect(run(['--', 'validate']).command).toBe('validate');
  });

  it.each([
    { argv: ['--sources', 'print'], option: '--sources' },
    { argv: ['--no-validate', 'get', 'k'], option: '--no-validate' },
    { argv: ['validate', '--sources'], option: '--sources' },
    { argv: ['validate', '--no-validate'], option: '--no-validate' },
    { argv: ['get', '--format', 'json', 'k'], option: '--format' },
    { argv: ['explain', 'k', '--show-secrets', '--format', 'yaml'], option: '--format' },
  ])('accepts command options only after their command: $argv', ({ argv, option }) => {
    expect(usageError(argv)).toContain(`unknown option '${option}'`);
  });

  it.each([
    { argv: ['print', '--format'], message: "option '--format <format>' argument missing" },
    { argv: ['-c'], message: "option '-c, --config <file>' argument missing" },
    { argv: ['validate', '--set'], message: "option '--set <key=value>' argument missing" },
    { argv: ['print', '--format='], message: "option '--format <format>' argument '' is invalid. Allowed choices are yaml, json." },
    { argv: ['print', '--json=x'], message: "option '--json' takes no value, got '--json=x'" },
    { argv: ['get', 'a', 'b'], message: "too many arguments for 'get'. Expected 1 argument but got 2." },
    { argv: ['validate', 'extra'], message: "too many arguments for 'validate'. Expected 0 arguments but got 1." },
    { argv: ['explain'], message: "missing required argument 'key'" },
    { argv: ['help', 'print', 'extra'], message: "too many arguments for 'help'" },
  ])('names the problem in $argv', ({ argv, message }) => {
    expect(usageError(argv)).toContain(`error: ${message}`);
  });

  it.each([
    { argv: ['helth'], hint: '(Did you mean health?)' },
    { argv: ['hlp'], hint: '(Did you mean help?)' },
    // Case is ignored (the one suggestion rule, src/foundation/suggest.ts).
    { argv: ['PRINT'], hint: '(Did you mean print?)' },
    { argv: ['help', 'valdiate'], hint: '(Did you mean validate?)' },
    { argv: ['print', '--show-secret'], hint: '(Did you mean --show-secrets?)' },
    { argv: ['print', '--formt=json'], hint: '(Did you mean --format?)' },
    { argv: ['--no-json', 'validate'], hint: '(Did you mean --json?)' },
    { argv: ['--etcd-prefx', '/a/', 'validate'], hint: '(Did you mean --etcd-prefix?)' },
  ])('suggests the nearest name for $argv', ({ argv, hint }) => {
    expect(usageError(argv)).toContain(`\n${hint}\n(run "confstack --help" for usage)\n`);
  });

  it.each([[['xyz']], [['print', '-z']], [['get', 'k', '--formt']], [['--__proto__.x=1', 'print']]])('suggests nothing when nothing is near: %j', (argv) => {
    expect(usageError(argv)).not.toContain('Did you mean');
  });

  it('ends every line error with the usage hint, and conflicts with the command help hint', () => {
    expect(usageError(['prnt'])).toMatch(/^error: unknown command 'prnt'\n.*\n\(run "confstack --help" for usage\)\n$/);
    expect(usageError(['validate', '--etcd-prefix', '/a/'])).toBe('error: --etcd-prefix needs --etcd\n(run "confstack validate --help" for usage)\n');
  });

  it.each([[['--__proto__=1', 'print']], [['--constructor', 'print']], [['print', '--toString', 'x']], [['print', '--hasOwnProperty=1']]])(
    'rejects prototype-named options %j without touching Object.prototype',
    (argv) => {
      expect(usageError(argv)).toContain('unknown option');
      expect(Object.prototype).toEqual({});
      expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString);
    },
  );

  it('never throws, and always answers with a run or an exit code of 0, 1 or 2', () => {
    const words = fc.oneof(
      fc.constantFrom(...COMMANDS, 'help', '--help', '-h', '-c', '--config', '--format', 'json', 'yaml', '--json', '--set', 'a=1', '__proto__.x=1', '--', '-', '--etcd', '--no-validate', '-cV', '--sources=1'),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(words, { maxLength: 8 }), (argv) => {
        const r = parseArgs(argv, '9.9.9');
        if (r.kind === 'run') return COMMANDS.includes(r.invocation.command);
        if (r.code === 2) expect(r.stderr).toMatch(/^(error: |Usage: confstack)/);
        return [0, 1, 2].includes(r.code);
      }),
      { numRuns: 2000 },
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('parseArgs: help and version', () => {
  it('prints the version for -V or --version anywhere, before any other problem', () => {
    for (const argv of [['-V'], ['--version'], ['print', '--version'], ['prnt', '--version'], ['get', '-V'], ['--formt', '--version']]) expect(shown(argv)).toBe('9.9.9\n');
  });

  it('lists every command and global option with its description, then exit codes and examples', () => {
    const text = shown(['--help']);
    expect(text).toMatch(/^Usage: confstack \[options\] \[command\]\n\nInspect, validate and watch layered confstack configuration\.\n/);
    for (const command of COMMANDS) expect(text).toMatch(new RegExp(`\\n  ${command}( \\[options\\])?( <key>)? +\\S`));
    expect(text).toContain('  explain [options] <key>  show which source set a value (file:line:col, env\n');
    expect(text).toContain('  help [command]           display help for command\n');
    expect(text).toContain('  --env-prefix <prefix>    environment variable prefix (default: "CONFSTACK")\n');
    for (const flag of ['-V, --version', '-c, --config <file>', '--profile <name>', '--etcd <url>', '--etcd-prefix <prefix>', '--set <key=value>', '--json', '-h, --help']) {
      expect(text).toContain(`\n  ${flag} `);
    }
    expect(text).toMatch(/\n\nExit codes: 0 ok, 1 configuration error, 2 usage error\.\nExamples:\n {2}confstack print --sources/);
    expect(text.split('\n').every((line) => line.length <= 80)).toBe(true);
  });

  it('gives the same program help for -h, help and help help, and on stderr (exit 2) without a command', () => {
    const text = shown(['--help']);
    expect(shown(['-h'])).toBe(text);
    expect(shown(['help'])).toBe(text);
    expect(shown(['help', 'help'])).toBe(text);
    expect(shown(['prnt', '--help'])).toBe(text);
    expect(parseArgs([], '9.9.9')).toEqual({ kind: 'exit', code: 2, stdout: '', stderr: text });
  });

  it('shows a command help for <command> --help, <command> -h and help <command>', () => {
    const text = shown(['print', '--help']);
    expect(text).toContain('Usage: confstack print [options]\n\nprint the merged configuration (secrets redacted)\n');
    expect(text).toContain('  --format <format>       output format (choices: "yaml", "json")\n');
    expect(text).toMatch(/\nGlobal Options:\n {2}-V, --version/);
    expect(text).not.toContain('Exit codes');
    expect(shown(['print', '-h'])).toBe(text);
    expect(shown(['help', 'print'])).toBe(text);
    expect(shown(['help', 'print', '--help'])).toBe(text);
    expect(shown(['-c', 'a.yaml', 'print', '--formt', '--help'])).toBe(text);
    expect(shown(['get', '--help'])).toMatch(/^Usage: confstack get \[options\] <key>\n[\s\S]*\nArguments:\n {2}key +key path\n/);
  });

  it('reads -h after -- as an argument, not a help request', () => {
    expect(run(['get', '--', '-h']).args).toEqual(['-h']);
  });
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
