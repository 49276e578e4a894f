/**
 * Argument parsing for the `confstack` CLI (commander). Owns the command and option table, the
 * mapping of every usage problem to exit code 2, and `--set key=value` parsing. Parsing never
 * executes a command: it returns an Invocation that main.ts dispatches, so it is unit-testable.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, ErrorCode } from '../errors.js';
import { isForbiddenSegment, parsePath } from '../tree/path.js';

/** Every command the CLI knows. */
export const COMMANDS = ['print', 'get', 'explain', 'validate', 'health', 'schema', 'providers', 'watch'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Options every command accepts (they may appear before or after the command name). */
export interface GlobalOptions {
  /** `-c` files in the order given; later files win. */
  config: string[];
  envPrefix: string;
  profile?: string;
  etcd?: string;
  etcdPrefix?: string;
  json: boolean;
  /** `--set key=value` overrides, parsed, in the order given (later wins). */
  set: SetOverride[];
}

/** One `--set` override. */
export interface SetOverride {
  key: string;
  segments: string[];
  value: unknown;
}

/** Options of the commands that print values. */
export interface CommandOptions {
  format?: 'yaml' | 'json';
  sources?: boolean;
  showSecrets?: boolean;
  validate?: boolean;
}

/** A parsed command line, ready to dispatch. */
export interface Invocation {
  command: CommandName;
  global: GlobalOptions;
  options: CommandOptions;
  /** Positional arguments (the key of `get` and `explain`). */
  args: string[];
}

/** What parsing produced: a command to run, or text to print and an exit code (help, usage error). */
export type ParseResult =
  | { kind: 'run'; invocation: Invocation }
  | { kind: 'exit'; code: 0 | 1 | 2; stdout: string; stderr: string; error?: ConfigError };

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, configError: 1, usage: 2 } as const;

/** A usage problem the parser found after commander accepted the line (conflicts, bad `--set`). */
class UsageProblem {
  constructor(readonly message: string) {}
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const SCALAR_LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

/**
 * Parses one `--set` argument. The value is JSON when it is a number, boolean, null, list or
 * object literal, else the raw string. Forbidden segments anywhere (key or JSON value) are
 * rejected with `forbidden_key`.
 * @throws ConfigError forbidden_key / invalid_parameters; UsageProblem for `a.b` without `=`
 */
export function parseSetOverride(raw: string): SetOverride {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new UsageProblem(`--set expects key=value, got "${raw}"`);
  const key = raw.slice(0, eq);
  const text = raw.slice(eq + 1);
  let segments: string[];
  try {
    segments = parsePath(key, 'cli');
  } catch (err) {
    const code = err instanceof ConfigError ? err.code : ErrorCode.InvalidParameters;
    throw new ConfigError({
      op: 'cli',
      code,
      message: code === ErrorCode.ForbiddenKey ? `--set key "${key}" reaches a prototype` : `--set key "${key}" is not a valid key path`,
      location: { source: '--set', key },
    });
  }
  let value: unknown = text;
  const trimmed = text.trim();
  if (SCALAR_LITERAL.test(trimmed) || trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      value = toSafeTree(JSON.parse(trimmed), key);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      value = text; // not JSON after all: keep the string as typed
    }
  }
  return { key, segments, value };
}

/** Copies parsed JSON into null-prototype objects, rejecting forbidden keys. */
function toSafeTree(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((v) => toSafeTree(v, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(value)) {
      if (isForbiddenSegment(k)) {
        throw new ConfigError({
          op: 'cli',
          code: ErrorCode.ForbiddenKey,
          message: `--set value for "${key}" contains key "${k}"`,
          location: { source: '--set', key },
        });
      }
      out[k] = toSafeTree((value as Record<string, unknown>)[k], key);
    }
    return out;
  }
  return value;
}

/** Builds the commander program; `onRun` receives the parsed command. */
function buildProgram(version: string, onRun: (name: CommandName, cmd: Command, args: string[]) => void, io: { out: (s: string) => void; err: (s: string) => void }): Command {
  const program = new Command('confstack');
  program
    .description('Inspect, validate and watch layered confstack configuration.')
    .version(version, '-V, --version', 'print the confstack version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (s, write) => write(s) })
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run "confstack --help" for usage)')
    .addOption(new Option('-c, --config <file>', 'a config file; repeat to layer files (later files win)').argParser(collect))
    .addOption(new Option('--env-prefix <prefix>', 'environment variable prefix').default('CONFSTACK'))
    .addOption(new Option('--profile <name>', 'profile overlay (config.<profile>.yaml); default $CONFSTACK_PROFILE'))
    .addOption(new Option('--etcd <url>', 'an etcd endpoint to layer on top (needs --etcd-prefix)'))
    .addOption(new Option('--etcd-prefix <prefix>', 'the etcd key prefix to read, e.g. /app/'))
    .addOption(new Option('--set <key=value>', 'override one value (repeatable; JSON literals allowed)').argParser(collect))
    .option('--json', 'machine-readable output (errors as JSON on stderr)', false)
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 configuration error, 2 usage error.\nExamples:\n  confstack print --sources -c config/config.yaml\n  confstack explain server.port\n  confstack validate -c base.yaml -c prod.yaml',
    );

  const action = (name: CommandName) =>
    function (this: Command, ...positional: unknown[]) {
      // commander passes (args..., options, command); keep the string positionals only.
      onRun(name, this, positional.filter((a): a is string => typeof a === 'string'));
    };
  const secrets = () => new Option('--show-secrets', 'print secret values in clear text (warns on stderr)');
  const noValidate = () => new Option('--no-validate', 'skip schema validation (show the merged values as loaded)');

  program
    .command('print')
    .description('print the merged configuration (secrets redacted)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']))
    .option('--sources', 'show where each value came from')
    .addOption(secrets())
    .addOption(noValidate())
    .action(action('print'));
  program
    .command('get')
    .description('print one value by key path (e.g. server.port, llm_providers[0].model_name)')
    .argument('<key>', 'key path')
    .addOption(secrets())
    .addOption(noValidate())
    .action(action('get'));
  program
    .command('explain')
    .description('show which source set a value (file:line:col, env var, etcd key)')
    .argument('<key>', 'key path')
    .addOption(secrets())
    .addOption(noValidate())
    .action(action('explain'));
  program.command('validate').description('load and validate; exit 1 with every issue located').action(action('validate'));
  program.command('health').description('load, check every source, print the health summary; exit 1 when unhealthy').action(action('health'));
  program.command('schema').description('print the framework JSON Schema (for editor autocompletion)').action(action('schema'));
  program.command('providers').description('list the registered provider types and their metadata').action(action('providers'));
  program.command('watch').description('watch the sources; print each applied change and each rejected reload until Ctrl-C').action(action('watch'));
  return program;
}

/**
 * Parses a command line (without `node` and the script path). Never throws and never exits:
 * help and version give exit 0, every usage problem exit 2 with a message (and a suggestion for
 * typos), a forbidden `--set` key exit 1 with a ConfigError.
 */
export function parseArgs(argv: readonly string[], version = '0.0.0'): ParseResult {
  let stdout = '';
  let stderr = '';
  let captured: { name: CommandName; cmd: Command; args: string[] } | undefined;
  const program = buildProgram(version, (name, cmd, args) => (captured = { name, cmd, args }), {
    out: (s) => (stdout += s),
    err: (s) => (stderr += s),
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version';
      return { kind: 'exit', code: ok ? 0 : 2, stdout, stderr };
    }
    throw err;
  }
  if (!captured) {
    return { kind: 'exit', code: 2, stdout, stderr: stderr || program.helpInformation() };
  }
  const raw = captured.cmd.optsWithGlobals() as Record<string, unknown>;
  const usage = (message: string): ParseResult => ({
    kind: 'exit',
    code: 2,
    stdout,
    stderr: `${stderr}error: ${message}\n(run "confstack ${captured!.name} --help" for usage)\n`,
  });
  const json = raw.json === true;
  const format = raw.format as 'yaml' | 'json' | undefined;
  if (json && format === 'yaml') return usage('--json and --format yaml conflict (choose one)');
  const etcd = raw.etcd as string | undefined;
  const etcdPrefix = raw.etcdPrefix as string | undefined;
  if (etcd !== undefined && etcdPrefix === undefined) return usage('--etcd needs --etcd-prefix');
  if (etcdPrefix !== undefined && etcd === undefined) return usage('--etcd-prefix needs --etcd');
  if (etcd !== undefined && !/^https?:\/\/[^\s/]+/.test(etcd)) return usage(`--etcd expects a URL like http://127.0.0.1:2379, got "${etcd}"`);
  const envPrefix = String(raw.envPrefix ?? 'CONFSTACK');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envPrefix)) return usage(`--env-prefix must be letters, digits and _, got "${envPrefix}"`);
  const profile = raw.profile as string | undefined;
  if (profile !== undefined && !/^[\w.-]+$/.test(profile)) return usage(`--profile must be a plain name, got "${profile}"`);

  let set: SetOverride[];
  try {
    set = ((raw.set as string[] | undefined) ?? []).map(parseSetOverride);
  } catch (err) {
    if (err instanceof UsageProblem) return usage(err.message);
    if (err instanceof ConfigError) return { kind: 'exit', code: 1, stdout, stderr, error: err };
    throw err;
  }

  const global: GlobalOptions = {
    config: (raw.config as string[] | undefined) ?? [],
    envPrefix,
    json,
    set,
    ...(profile !== undefined ? { profile } : {}),
    ...(etcd !== undefined ? { etcd } : {}),
    ...(etcdPrefix !== undefined ? { etcdPrefix } : {}),
  };
  const options: CommandOptions = {};
  if (format !== undefined) options.format = format;
  if (raw.sources === true) options.sources = true;
  if (raw.showSecrets === true) options.showSecrets = true;
  if (raw.validate === false) options.validate = false;
  return { kind: 'run', invocation: { command: captured.name, global, options, args: captured.args } };
}
