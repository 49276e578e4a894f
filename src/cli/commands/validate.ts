/**
 * `confstack validate [--strict]`: load and validate; exit 1 with every issue located (see
 * output.ts). Warnings (env variables that set no schema key…) are printed, on success and on
 * failure (with `--json`: in the body, beside `error` on failure); `--strict` makes them fail the run (exit 1).
 */
import type { ConfigWarning } from '../../core/env-diagnostics.js';
import { asConfigError, describeLocation } from '../../foundation/errors.js';
import type { CommandContext } from '../context.js';
import { loadSnapshot, projectSecretPaths } from '../context.js';
import { describeSources, exitCodeFor, reportError } from '../output.js';

/** Warnings that `--strict` turns into a failure (a note that nothing could be checked is not one). */
function failsStrict(w: ConfigWarning): boolean {
  return w.code !== 'env_unchecked';
}

function warningLine(w: ConfigWarning): string {
  const where = describeLocation(w.location);
  return `warning: ${w.message}${where ? ` (${where})` : ''} [${w.code}]`;
}

/** Runs `validate`. */
export async function runValidate(ctx: CommandContext): Promise<number> {
  const logged: ConfigWarning[] = [];
  let config;
  try {
    config = await loadSnapshot({ ...ctx, options: { ...ctx.options, validate: true } }, logged);
  } catch (err) {
    // The warnings often explain the error (a misspelt variable): JSON gets them in its body, a
    // terminal as lines before the error, which the caller reports.
    const ce = asConfigError(err);
    if (ctx.global.json && ce) {
      reportError(ce, ctx.io, true, projectSecretPaths(ctx.project), logged);
      return exitCodeFor(ce);
    }
    if (!ctx.global.json) for (const w of logged) ctx.io.err(`confstack: ${warningLine(w)}\n`);
    throw err;
  }
  // On success the snapshot has them whole (with `suggestion`); the logger copy is for failures.
  const warnings = config.warnings;
  const strictFailure = ctx.options.strict === true && warnings.some(failsStrict);
  const sources = config.sources();
  if (ctx.global.json) {
    const body = { valid: !strictFailure, warnings, sources: sources.map((s) => ({ name: s.name, type: s.type, status: s.status })) };
    ctx.io.out(`${JSON.stringify(body)}\n`);
    return strictFailure ? 1 : 0;
  }
  for (const w of warnings) ctx.io.err(`confstack: ${warningLine(w)}\n`);
  if (strictFailure) {
    ctx.io.err(`confstack: ${warnings.filter(failsStrict).length} warning(s) with --strict: configuration rejected\n`);
    return 1;
  }
  ctx.io.out(`configuration is valid (${sources.length} sources, highest priority first${warnings.length > 0 ? `; ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''})\n`);
  for (const line of describeSources(sources)) ctx.io.out(`  ${line}\n`);
  return 0;
}
