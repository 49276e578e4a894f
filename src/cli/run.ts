/**
 * The CLI as a function: parse, dispatch, map outcomes to exit codes (0 ok, 1 config error,
 * 2 usage). Process concerns (signals, EPIPE, exit) live in main.ts, so this runs in-process
 * in tests.
 */
import { createRequire } from 'node:module';
import { asConfigError } from '../foundation/errors.js';
import { parseArgs, type CommandName } from './args.js';
import { projectSecretPaths, type CommandRunner } from './context.js';
import { resolveProject, type Project } from './project.js';
import { redactUrlCredentials } from '../foundation/secrets.js';
import { exitCodeFor, reportError, type Io } from './output.js';

const RUNNERS: Record<CommandName, () => Promise<CommandRunner>> = {
  print: async () => (await import('./commands/print.js')).runPrint,
  get: async () => (await import('./commands/get.js')).runGet,
  explain: async () => (await import('./commands/explain.js')).runExplain,
  validate: async () => (await import('./commands/validate.js')).runValidate,
  health: async () => (await import('./commands/health.js')).runHealth,
  schema: async () => (await import('./commands/schema.js')).runSchema,
  docs: async () => (await import('./commands/docs.js')).runDocs,
  providers: async () => (await import('./commands/providers.js')).runProviders,
  watch: async () => (await import('./commands/watch.js')).runWatch,
  serve: async () => (await import('./commands/serve.js')).runServe,
};

/**
 * The package version: confstack's package.json, the nearest above this module (src/cli/ when
 * run from source, a bundle chunk some levels under dist/ when built).
 */
export function cliVersion(): string {
  const require = createRequire(import.meta.url);
  for (let up = '../'; up.length <= 12; up += '../') {
    try {
      const pkg = require(`${up}package.json`) as { name?: string; version?: string };
      if (pkg.name === 'confstack' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}

/** Parses `argv` (without node and script) and runs the command; resolves to the exit code. */
export async function runCli(argv: readonly string[], rawIo: Io, signal: AbortSignal = new AbortController().signal): Promise<{ code: number; command?: CommandName }> {
  const parsed = parseArgs(argv, cliVersion());
  const json = argv.includes('--json');
  // The last line of defence for URL passwords (an origin, a source name, a value under any key):
  // every text the CLI writes is masked, stdout too unless --show-secrets asked for clear text.
  const reveal = parsed.kind !== 'exit' && parsed.invocation.options.showSecrets === true;
  const io: Io = {
    out: (t) => rawIo.out(reveal ? t : redactUrlCredentials(t)),
    err: (t) => rawIo.err(redactUrlCredentials(t)),
  };
  if (parsed.kind === 'exit') {
    if (parsed.stdout) io.out(parsed.stdout);
    if (parsed.stderr) io.err(parsed.stderr);
    if (parsed.error) reportError(parsed.error, io, json);
    return { code: parsed.code };
  }
  const { invocation } = parsed;
  let project: Project | undefined;
  try {
    // Every command but `providers` works on the project's schema and sources.
    if (invocation.command !== 'providers') project = await resolveProject(process.cwd(), invocation.global.project);
    const runner = await RUNNERS[invocation.command]();
    const code = await runner({ ...invocation, io, signal, ...(project ? { project } : {}) });
    return { code, command: invocation.command };
  } catch (err) {
    const ce = asConfigError(err);
    if (ce) {
      reportError(ce, io, invocation.global.json, projectSecretPaths(project));
      return { code: exitCodeFor(ce), command: invocation.command };
    }
    if (signal.aborted) return { code: 130, command: invocation.command };
    const name = err instanceof Error ? err.name : typeof err;
    io.err(`confstack: internal error (${name}) while running "${invocation.command}"; please report it\n`);
    return { code: 1, command: invocation.command };
  }
}
