/**
 * What every command receives (parsed options, the project file, output sinks, an abort signal)
 * and the one-shot load the read-only commands share.
 */
// Specific modules, not the package index: a cold `validate` then loads no registry, watch or health code.
import type { Config } from '../core/config.js';
import type { ConfigWarning } from '../core/env-diagnostics.js';
import { secretPathsOf } from '../core/json-schema/fields.js';
import type { LoadOptions } from '../core/load.js';
import type { Logger } from '../observability/logging.js';
import type { StandardSchemaV1 } from '../foundation/standard-schema.js';
import { loadConfig } from '../presets/framework/api.js';
import { frameworkPreset } from '../presets/framework/preset.js';
import { schemaJsonSchema } from '../core/validate.js';
import type { CommandOptions, GlobalOptions } from './args.js';
import type { Io } from './output.js';
import type { Project } from './project.js';
import { buildLoadOptions, closeSources } from './sources.js';

/** The input of a command. */
export interface CommandContext {
  global: GlobalOptions;
  options: CommandOptions;
  args: string[];
  io: Io;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
  /** The project file in effect (`confstack.config.*` or `--project`), if any. */
  project?: Project;
}

/** A command: resolves to the exit code; throws ConfigError for exit 1. */
export type CommandRunner = (ctx: CommandContext) => Promise<number>;

/**
 * The schema the CLI validates with: the project's, `false` when the project turns validation
 * off, else the framework preset (the loader's default).
 */
export function activeSchema(project: Project | undefined): StandardSchemaV1 | false {
  const schema = project?.options.schema;
  if (schema === false) return false;
  return schema ?? frameworkPreset;
}

/**
 * The JSON Schema of the active schema for `schema` and `docs`: for the framework, its published
 * document (`frameworkJsonSchema()`, with title and secret marks; loads zod); else what the
 * schema offers (undefined when it offers none).
 */
export async function activeJsonSchema(schema: StandardSchemaV1): Promise<Readonly<Record<string, unknown>> | undefined> {
  if (schema === frameworkPreset) return (await import('../presets/framework/schema.js')).frameworkJsonSchema();
  return schemaJsonSchema(schema);
}

/** The key paths the project's schema marks secret (for masking source excerpts in error reports). */
export function projectSecretPaths(project: Project | undefined): ReadonlySet<string> | undefined {
  const schema = project?.options.schema;
  return schema ? secretPathsOf(schema) : undefined;
}

/** A logger that keeps the warnings a load reports (and passes every record on to `next`). */
function warningCollector(into: ConfigWarning[], next: Logger | undefined): Logger {
  const pass = (level: keyof Logger) => (obj: Record<string, unknown>, msg?: string) => next?.[level](obj, msg);
  return {
    debug: pass('debug'),
    info: pass('info'),
    error: pass('error'),
    warn(obj, msg) {
      const code = obj.code;
      if ((code === 'unknown_env_var' || code === 'unknown_env_item' || code === 'env_unchecked') && typeof msg === 'string') {
        const source = typeof obj.source === 'string' ? obj.source : undefined;
        const key = typeof obj.path === 'string' ? obj.path : undefined;
        into.push({
          code,
          message: msg.replace(/^confstack: /, ''),
          ...(source !== undefined || key !== undefined ? { location: { ...(source !== undefined ? { source } : {}), ...(key !== undefined ? { key } : {}) } } : {}),
        });
      }
      next?.warn(obj, msg);
    },
  };
}

/**
 * Loads one snapshot with the CLI's sources and closes them afterwards. `warnings` (when given)
 * receives the load's warnings even when validation then fails.
 */
export async function loadSnapshot(ctx: CommandContext, warnings?: ConfigWarning[]): Promise<Config<Record<string, unknown>>> {
  const extra: Partial<LoadOptions> = { signal: ctx.signal, ...(ctx.options.validate === false ? { validate: false } : {}) };
  if (warnings) extra.logger = warningCollector(warnings, ctx.project?.options.logger);
  const opts = await buildLoadOptions(ctx.global, extra, ctx.project);
  try {
    return (await loadConfig(opts)) as unknown as Config<Record<string, unknown>>;
  } finally {
    await closeSources(opts.sources);
  }
}

/** `--show-secrets` always says so on stderr, whatever stdout is (RELIABILITY S8). */
export function warnIfRevealing(ctx: CommandContext): boolean {
  if (ctx.options.showSecrets !== true) return false;
  ctx.io.err('confstack: warning: --show-secrets prints secret values in clear text\n');
  return true;
}

/** Resolves when `signal` aborts (Ctrl-C for the long-running commands), at once if it has. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
