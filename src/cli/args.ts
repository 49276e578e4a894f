/**
 * Argument parsing for the `confstack` CLI. Owns the command and option table, the mapping of
 * every usage problem to exit code 2, and `--set key=value` parsing. Parsing never executes a
 * command: it returns an Invocation that main.ts dispatches, so it is unit-testable.
 *
 * Tokens come from Node's own `util.parseArgs` (no load cost, unlike a CLI framework, which a
 * cold `confstack validate` paid ~13 ms for); this file checks them against the table.
 */
import { parseArgs as tokenize } from 'node:util';
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { closestNames } from '../foundation/suggest.js';
import { isForbiddenSegment, parsePath } from '../tree/path.js';
import { commandHelp, flags, programHelp, type CommandSpec, type Grammar, type OptionSpec } from './help.js';

/** Every command the CLI knows. */
export const COMMANDS = ['print', 'get', 'explain', 'validate', 'health', 'schema', 'docs', 'providers', 'watch', 'serve'] as const;
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
  /** True when `--env-prefix` was given (it then wins over the project file's `envPrefix`). */
  explicitEnvPrefix?: true;
  /** `--project <file>`: the project file to use instead of `confstack.config.*` in the cwd. */
  project?: string;
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
  /** `validate --strict`: warnings fail the run. */
  strict?: boolean;
  /** `docs --env`: a `.env.example` instead of the Markdown reference. */
  env?: boolean;
  /** `explain --all`: also list the sources that had no value at the key. */
  all?: boolean;
  /** `serve`: where the explorer listens, and its bearer token. */
  port?: number;
  host?: string;
  token?: string;
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

/** A malformed `--set` (no `=`): a usage problem, not a configuration error. */
class UsageProblem {
  constructor(readonly message: string) {}
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

const SHOW_SECRETS: OptionSpec = { name: 'show-secrets', description: 'print secret values in clear text (warns on stderr)' };
const NO_VALIDATE: OptionSpec = { name: 'no-validate', description: 'skip schema validation (show the merged values as loaded)' };
const KEY = { name: 'key', description: 'key path' };

const COMMAND_SPECS: Readonly<Record<CommandName, CommandSpec>> = {
  print: {
    description: 'print the merged configuration (secrets redacted)',
    options: [
      { name: 'format', value: 'format', description: 'output format', choices: ['yaml', 'json'] },
      { name: 'sources', description: 'show where each value came from' },
      SHOW_SECRETS,
      NO_VALIDATE,
    ],
  },
  get: { description: 'print one value by key path (e.g. server.port, llm_providers[0].model_name)', argument: KEY, options: [SHOW_SECRETS, NO_VALIDATE] },
  explain: {
    description: 'show which source set a value (file:line:col, env var, etcd key) and every layer below it',
    argument: KEY,
    options: [{ name: 'all', description: 'also list the sources that had no value at the key' }, SHOW_SECRETS, NO_VALIDATE],
  },
  validate: {
    description: 'load and validate; exit 1 with every issue located; print warnings (unknown env variables)',
    options: [{ name: 'strict', description: 'warnings are errors (exit 1)' }],
  },
  health: { description: 'load, check every source, print the health summary; exit 1 when unhealthy', options: [] },
  schema: { description: "print the JSON Schema of the active schema (the project's, else the framework's), for editor autocompletion", options: [] },
  docs: {
    description: 'print a Markdown reference of the active schema: every key, its type, default, env variable',
    options: [{ name: 'env', description: 'print a .env.example instead (secrets as empty placeholders)' }],
  },
  providers: { description: 'list the registered provider types and their metadata', options: [] },
  watch: { description: 'watch the sources; print each applied change and each rejected reload until Ctrl-C', options: [] },
  serve: {
    description: 'serve the explorer (page and JSON API, read-only, values redacted) over the watched config until Ctrl-C',
    options: [
      { name: 'port', value: 'n', description: 'port to listen on (0 picks a free one)', default: '8642' },
      { name: 'host', value: 'host', description: 'address to bind; anything but loopback needs --token', default: '127.0.0.1' },
      { name: 'token', value: 'token', description: 'bearer token every API request must send (16+ characters); default $CONFSTACK_EXPLORER_TOKEN' },
    ],
  },
};

const GRAMMAR: Grammar = {
  description: 'Inspect, validate and watch layered confstack configuration.',
  globalOptions: [
    { name: 'version', short: 'V', description: 'print the confstack version' },
    { name: 'project', value: 'file', description: 'the project file (default: confstack.config.{ts,mts,mjs,js} in the current directory)' },
    { name: 'config', short: 'c', value: 'file', description: 'a config file; repeat to layer files (later files win)' },
    { name: 'env-prefix', value: 'prefix', description: 'environment variable prefix', default: 'CONFSTACK' },
    { name: 'profile', value: 'name', description: 'profile overlay (config.<profile>.yaml); default $CONFSTACK_PROFILE' },
    { name: 'etcd', value: 'url', description: 'an etcd endpoint to layer on top (needs --etcd-prefix)' },
    { name: 'etcd-prefix', value: 'prefix', description: 'the etcd key prefix to read, e.g. /app/' },
    { name: 'set', value: 'key=value', description: 'override one value (repeatable; JSON literals allowed)' },
    { name: 'json', description: 'machine-readable output (errors as JSON on stderr)' },
  ],
  helpOption: { name: 'help', short: 'h', description: 'display help for command' },
  commands: COMMAND_SPECS,
  epilogue:
    'Exit codes: 0 ok, 1 configuration error, 2 usage error.\nExamples:\n  confstack print --sources -c config/config.yaml\n  confstack explain server.port\n  confstack validate -c base.yaml -c prod.yaml\nProject file: confstack.config.{ts,mts,mjs,js} in the current directory (or\n--project <file>) gives every command its schema, env prefix and files.',
};

/** What util.parseArgs needs to split the line: every option anywhere, its value-taking and its short letter. */
const TOKEN_OPTIONS = (() => {
  const all = [GRAMMAR.helpOption, ...GRAMMAR.globalOptions, ...Object.values(GRAMMAR.commands).flatMap((c) => c.options)];
  const table: Record<string, { type: 'string' | 'boolean'; short?: string }> = Object.create(null);
  for (const o of all) table[o.name] = { type: o.value !== undefined ? 'string' : 'boolean', ...(o.short !== undefined ? { short: o.short } : {}) };
  return table;
})();

const isCommand = (word: string): word is CommandName => (COMMANDS as readonly string[]).includes(word);

/** "(Did you mean …?)" for the names nearest to `word` (foundation/suggest.ts's rule), or ''. */
function suggestion(word: string, candidates: readonly string[], prefix = ''): string {
  const nearest = closestNames(word, candidates).map((n) => prefix + n);
  if (nearest.length === 0) return '';
  return nearest.length === 1 ? `(Did you mean ${nearest[0]}?)\n` : `(Did you mean one of ${nearest.join(', ')}?)\n`;
}

const exit = (code: 0 | 2, stdout: string, stderr = ''): ParseResult => ({ kind: 'exit', code, stdout, stderr });
const lineError = (message: string, hint = ''): ParseResult => exit(2, '', `error: ${message}\n${hint}(run "confstack --help" for usage)\n`);

type Token = NonNullable<ReturnType<typeof tokenize>['tokens']>[number];

/** The option values of a line, by long name, in the order given (flags hold `''`). */
type Given = Map<string, string[]>;

/**
 * Walks the tokens: the first positional names the command, options before it must be global,
 * options after it global or the command's. Returns the first usage problem, if any.
 */
function readLine(argv: readonly string[], tokens: Token[]): ParseResult | { command: CommandName | 'help' | undefined; given: Given; positionals: string[] } {
  let command: CommandName | 'help' | undefined;
  const given: Given = new Map();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (command !== undefined) positionals.push(token.value);
      else if (isCommand(token.value) || token.value === 'help') command = token.value;
      else return lineError(`unknown command '${token.value}'`, suggestion(token.value, [...COMMANDS, 'help']));
      continue;
    }
    const allowed = [...GRAMMAR.globalOptions, ...(command !== undefined && command !== 'help' ? COMMAND_SPECS[command].options : [])];
    const option = allowed.find((o) => o.name === token.name);
    const raw = token.rawName.startsWith('--') ? argv[token.index]! : token.rawName;
    if (!option) {
      return lineError(`unknown option '${raw}'`, token.rawName.startsWith('--') ? suggestion(token.rawName.slice(2), allowed.map((o) => o.name), '--') : '');
    }
    if (option.value === undefined) {
      if (token.inlineValue) return lineError(`option '${flags(option)}' takes no value, got '${raw}'`);
      given.set(option.name, ['']);
      continue;
    }
    if (token.value === undefined) return lineError(`option '${flags(option)}' argument missing`);
    if (option.choices && !option.choices.includes(token.value)) {
      return lineError(`option '${flags(option)}' argument '${token.value}' is invalid. Allowed choices are ${option.choices.join(', ')}.`);
    }
    given.set(option.name, [...(given.get(option.name) ?? []), token.value]);
  }
  return { command, given, positionals };
}

/** `--help`, `-h` or `help [command]`: the help of the command named, else the program's. */
function help(topic: string | undefined): ParseResult {
  if (topic === undefined || !isCommand(topic)) return exit(0, programHelp(GRAMMAR));
  return exit(0, commandHelp(GRAMMAR, topic, COMMAND_SPECS[topic]));
}

/**
 * Parses a command line (without `node` and the script path). Never throws and never exits:
 * help and version give exit 0, every usage problem exit 2 with a message (and a suggestion for
 * typos), a forbidden `--set` key exit 1 with a ConfigError.
 */
export function parseArgs(argv: readonly string[], version = '0.0.0'): ParseResult {
  const { tokens } = tokenize({ args: [...argv], options: TOKEN_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  // Version, then help, win over any problem elsewhere on the line.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'version')) return exit(0, `${version}\n`);
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) {
    const words = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []));
    return help(words[0] === 'help' ? words[1] : words[0]);
  }
  const line = readLine(argv, tokens);
  if ('kind' in line) return line;
  const { command, given, positionals } = line;
  if (command === undefined) return exit(2, '', programHelp(GRAMMAR));
  if (command === 'help') {
    const [topic, ...extra] = positionals;
    if (extra.length > 0) return lineError(`too many arguments for 'help'. Expected at most 1 argument but got ${positionals.length}.`);
    if (topic !== undefined && topic !== 'help' && !isCommand(topic)) return lineError(`unknown command '${topic}'`, suggestion(topic, COMMANDS));
    return help(topic);
  }
  const expected = COMMAND_SPECS[command].argument ? 1 : 0;
  if (positionals.length < expected) return lineError(`missing required argument '${COMMAND_SPECS[command].argument!.name}'`);
  if (positionals.length > expected) {
    return lineError(`too many arguments for '${command}'. Expected ${expected} argument${expected === 1 ? '' : 's'} but got ${positionals.length}.`);
  }
  return toInvocation(command, given, positionals);
}

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The command options that flags set alone. */
function flagOptions(given: Given, format: 'yaml' | 'json' | undefined): CommandOptions {
  const options: CommandOptions = {};
  if (format !== undefined) options.format = format;
  if (given.has('sources')) options.sources = true;
  if (given.has('show-secrets')) options.showSecrets = true;
  if (given.has('no-validate')) options.validate = false;
  if (given.has('strict')) options.strict = true;
  if (given.has('env')) options.env = true;
  if (given.has('all')) options.all = true;
  return options;
}

/** Checks the options against each other and builds the Invocation. */
function toInvocation(command: CommandName, given: Given, args: string[]): ParseResult {
  const last = (name: string) => given.get(name)?.at(-1);
  const usage = (message: string): ParseResult => exit(2, '', `error: ${message}\n(run "confstack ${command} --help" for usage)\n`);
  const json = given.has('json');
  const format = last('format') as 'yaml' | 'json' | undefined;
  if (json && format === 'yaml') return usage('--json and --format yaml conflict (choose one)');
  const etcd = last('etcd');
  const etcdPrefix = last('etcd-prefix');
  if (etcd !== undefined && etcdPrefix === undefined) return usage('--etcd needs --etcd-prefix');
  if (etcdPrefix !== undefined && etcd === undefined) return usage('--etcd-prefix needs --etcd');
  if (etcd !== undefined && !/^https?:\/\/[^\s/]+/.test(etcd)) return usage(`--etcd expects a URL like http://127.0.0.1:2379, got "${etcd}"`);
  const envPrefix = last('env-prefix') ?? 'CONFSTACK';
  const project = last('project');
  if (project !== undefined && project.trim() === '') return usage('--project expects a file path');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envPrefix)) return usage(`--env-prefix must be letters, digits and _, got "${envPrefix}"`);
  const profile = last('profile');
  if (profile !== undefined && !/^[\w.-]+$/.test(profile)) return usage(`--profile must be a plain name, got "${profile}"`);

  let set: SetOverride[];
  try {
    set = (given.get('set') ?? []).map(parseSetOverride);
  } catch (err) {
    if (err instanceof UsageProblem) return usage(err.message);
    if (err instanceof ConfigError) return { kind: 'exit', code: 1, stdout: '', stderr: '', error: err };
    throw err;
  }

  const global: GlobalOptions = {
    config: given.get('config') ?? [],
    envPrefix,
    json,
    set,
    ...(profile !== undefined ? { profile } : {}),
    ...(etcd !== undefined ? { etcd } : {}),
    ...(etcdPrefix !== undefined ? { etcdPrefix } : {}),
    ...(given.has('env-prefix') ? { explicitEnvPrefix: true as const } : {}),
    ...(project !== undefined ? { project } : {}),
  };
  const options = flagOptions(given, format);
  if (command === 'serve') {
    const port = last('port') ?? '8642';
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) return usage(`--port must be a number from 0 to 65535, got "${port}"`);
    const host = last('host') ?? '127.0.0.1';
    if (!/^[A-Za-z0-9.:_-]+$/.test(host)) return usage(`--host must be a host name or address, got "${host}"`);
    const token = last('token') ?? (process.env.CONFSTACK_EXPLORER_TOKEN || undefined);
    if (token !== undefined && (token.length < 16 || /\s/.test(token))) return usage('--token must be at least 16 characters without spaces');
    // An explorer open to a network shows how the service is configured: never without a token.
    if (!isLoopback(host) && token === undefined) return usage(`binding to ${host} (not loopback) needs --token; the explorer would show the configuration to the network`);
    options.port = Number(port);
    options.host = host;
    if (token !== undefined) options.token = token;
  }
  return { kind: 'run', invocation: { command, global, options, args } };
}
