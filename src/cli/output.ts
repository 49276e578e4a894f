/**
 * CLI output: the `--sources` annotations, compiler-style error reports (rendered by errors.ts, which
 * ConfigError's inspect form shares), and change lines for `watch`. Pure functions over strings.
 * YAML rendering lives in render.ts, so commands that print no tree never load the `yaml` package.
 */
import type { ConfigWarning } from '../core/env-diagnostics.js';
import { ErrorCode, formatErrorReport, type ConfigError } from '../foundation/errors.js';
import { describeOrigin, type Origin } from '../tree/origins.js';
import { joinPath } from '../tree/path.js';

/** Where the CLI writes. Tests pass string sinks; main.ts passes process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Renders a scalar for one line of human output: strings raw, everything else as compact JSON. */
export function renderScalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '(unset)';
  return JSON.stringify(value);
}

/** Every leaf path of a tree (canonical form), depth first, in key order. Empty containers count as leaves. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v) && v.length > 0) v.forEach((item, i) => walk(item, joinPath(path, i)));
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, joinPath(path, k));
    } else if (path !== '') out.push(path);
  };
  walk(value, prefix);
  return out;
}

/** Machine form of `print --sources`: values, the origin of each leaf, and the source list. */
export function sourcesJson(
  tree: Record<string, unknown>,
  originOf: (path: string) => Origin | undefined,
  sources: readonly { name: string; type: string; status: string; error?: ConfigError }[],
): Record<string, unknown> {
  const origins: Record<string, unknown> = {};
  for (const path of leafPaths(tree)) {
    const o = originOf(path);
    if (o) origins[path] = { ...o, source: describeOrigin(o) };
  }
  return {
    config: tree,
    origins,
    sources: sources.map((s) => ({ name: s.name, type: s.type, status: s.status, ...(s.error ? { error: s.error.toJSON() } : {}) })),
  };
}

/** One line per source, for the header of `print --sources` and for `validate`. */
export function describeSources(sources: readonly { name: string; type: string; status: string; error?: ConfigError }[]): string[] {
  return sources.map((s, i) => `${i + 1}. ${s.name} (${s.status}${s.error ? `: ${s.error.code}` : ''})`);
}

// The excerpt helpers moved down to code-frame.ts, so ConfigError's inspect form can use them.
export { codeFrame, maskSecretsInLine, readSourceLine } from '../foundation/code-frame.js';

/**
 * Renders a ConfigError for a terminal like a compiler does:
 * `file:line:col: message [code]`, the offending line with a caret (secret values masked),
 * one such block per validation issue, then the cause codes. No stack trace, ever. `secretPaths`:
 * the key paths the schema marks secret (their source lines are masked whole).
 */
export function formatCliError(err: ConfigError, secretPaths?: ReadonlySet<string>): string {
  return `${formatErrorReport(err, secretPaths ? { secretPaths } : {})}\n`;
}

/** One line of `watch` output per changed key: `key: old → new` (values already redacted). */
export function formatChange(key: string, before: unknown, after: unknown): string {
  return `  ${key}: ${renderScalar(before)} → ${renderScalar(after)}`;
}

/**
 * Writes a ConfigError the way `--json` or a terminal wants it (`secretPaths`: the schema's secret
 * marks). `warnings` (from `validate`) join the JSON body, since they often explain the error.
 */
export function reportError(err: ConfigError, io: Io, json: boolean, secretPaths?: ReadonlySet<string>, warnings: readonly ConfigWarning[] = []): void {
  if (json) io.err(`${JSON.stringify({ error: err.toJSON(), ...(warnings.length > 0 ? { warnings } : {}) })}\n`);
  else io.err(formatCliError(err, secretPaths));
}

/** The exit code of a failed command: a malformed key argument is a usage error (2), anything else the configuration's (1). */
export function exitCodeFor(err: ConfigError): 1 | 2 {
  return err.op === 'cli' && err.code === ErrorCode.InvalidParameters ? 2 : 1;
}
