/**
 * What every command receives (parsed options, output sinks, an abort signal) and the one-shot
 * load the read-only commands share.
 */
// Specific modules, not the package index: a cold `validate` then loads no registry, watch or health code.
import type { Config } from '../config.js';
import { loadConfig } from '../presets/framework/api.js';
import type { CommandOptions, GlobalOptions } from './args.js';
import type { Io } from './output.js';
import { buildLoadOptions, closeSources } from './sources.js';

/** The input of a command. */
export interface CommandContext {
  global: GlobalOptions;
  options: CommandOptions;
  args: string[];
  io: Io;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
}

/** A command: resolves to the exit code; throws ConfigError for exit 1. */
export type CommandRunner = (ctx: CommandContext) => Promise<number>;

/** Loads one snapshot with the CLI's sources and closes them afterwards. */
export async function loadSnapshot(ctx: CommandContext): Promise<Config<Record<string, unknown>>> {
  const opts = await buildLoadOptions(ctx.global, {
    signal: ctx.signal,
    ...(ctx.options.validate === false ? { validate: false } : {}),
  });
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
