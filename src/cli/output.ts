/**
 * CLI output: the `--sources` annotations, compiler-style error reports with a masked source excerpt, and change lines for `watch`.
 * Pure functions over strings; the only I/O is reading a source file for an excerpt.
 * YAML rendering lives in render.ts, so commands that print no tree never load the `yaml` package.
 */
import { readFileSync, statSync } from 'node:fs';
import { formatConfigError, type ConfigError, type ConfigIssue } from '../errors.js';
import { isSecretKey, isSecretPath, REDACTED } from '../secrets.js';
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

const PAIR = /(["']?)([A-Za-z_$][\w$.-]*)\1(\s*[:=]\s*)([^,}\]\r\n#]*)/g;

/**
 * Masks secret values in one line of source text: the value of every `key: value` / `key = value`
 * pair whose key is a secret (YAML, JSON, TOML, .env, flow mappings), and, when `wholeValue` is
 * set (the line is known to hold a secret), everything after the first `:` or `=`.
 */
export function maskSecretsInLine(line: string, wholeValue = false): string {
  let masked = line.replace(PAIR, (m, q: string, key: string, sep: string, value: string) =>
    isSecretKey(key) && value.trim() !== '' ? `${q}${key}${q}${sep}${maskValue(value)}` : m,
  );
  if (wholeValue) {
    const sep = masked.search(/[:=]/);
    const indent = masked.length - masked.trimStart().length;
    masked = sep >= 0 ? `${masked.slice(0, sep + 1)} ${REDACTED}` : `${masked.slice(0, indent)}${REDACTED}`;
  }
  return masked;
}

function maskValue(value: string): string {
  const trailing = value.length - value.trimEnd().length;
  return `${REDACTED}${' '.repeat(trailing)}`;
}

const MAX_EXCERPT_FILE = 16 * 1024 * 1024;
const MAX_LINE = 200;

/** Reads line `line` (1-based) of a file, or undefined (missing, directory, too large, binary). */
export function readSourceLine(file: string, line: number): string | undefined {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_EXCERPT_FILE) return undefined;
    const text = readFileSync(file, 'utf8');
    const lines = text.split(/\r?\n/);
    const l = lines[line - 1];
    if (l === undefined || l.includes('\u0000')) return undefined;
    return l;
  } catch {
    return undefined;
  }
}

/**
 * The excerpt under a compiler-style message: the line with its number and a caret under the
 * column. Secrets are masked; long lines are cut around the column.
 */
export function codeFrame(sourceLine: string, line: number, column: number | undefined, secret: boolean): string {
  let text = maskSecretsInLine(sourceLine, secret);
  let col = column ?? 1;
  if (text.length > MAX_LINE) {
    const start = Math.max(0, Math.min(col - 1 - 40, text.length - MAX_LINE));
    text = `${start > 0 ? '…' : ''}${text.slice(start, start + MAX_LINE)}…`;
    col = col - start + (start > 0 ? 1 : 0);
  }
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const caretPad = text.slice(0, Math.max(0, col - 1)).replace(/[^\t]/g, ' ');
  return `  ${gutter} | ${text}\n  ${pad} | ${caretPad}^`;
}

function excerptFor(file: string | undefined, line: number | undefined, column: number | undefined, secret: boolean): string | undefined {
  if (file === undefined || line === undefined) return undefined;
  const src = readSourceLine(file, line);
  return src === undefined ? undefined : codeFrame(src, line, column, secret);
}

function issueLines(issue: ConfigIssue, fallbackCode: string, secretPaths?: ReadonlySet<string>): string[] {
  const code = issue.code ?? fallbackCode;
  const text = `${issue.path || '(root)'}: ${issue.message} [${code}]`;
  const o = issue.origin;
  if (o && o.location !== undefined && o.line !== undefined) {
    const lines = [`${o.location}:${o.line}${o.column !== undefined ? `:${o.column}` : ''}: ${text}`];
    const frame = excerptFor(o.location, o.line, o.column, safeIsSecretPath(issue.path, secretPaths));
    if (frame) lines.push(frame);
    return lines;
  }
  return [`${o ? describeOrigin(o) : 'confstack'}: ${text}`];
}

/**
 * Renders a ConfigError for a terminal like a compiler does:
 * `file:line:col: message [code]`, the offending line with a caret (secret values masked),
 * one such block per validation issue, then the cause codes. No stack trace, ever. `secretPaths`:
 * the key paths the schema marks secret (their source lines are masked whole).
 */
export function formatCliError(err: ConfigError, secretPaths?: ReadonlySet<string>): string {
  const out: string[] = [];
  const loc = err.location;
  const secret = loc?.key !== undefined && safeIsSecretPath(loc.key, secretPaths);
  const hasIssues = (err.issues?.length ?? 0) > 0;
  if (hasIssues) {
    // Each issue gets its own located block below; the header only summarises.
    out.push(`confstack: ${err.op}: ${err.detail} [${err.code}]`);
  } else if (loc?.file !== undefined) {
    const pos = loc.line !== undefined ? `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}` : '';
    out.push(`${loc.file}${pos}: ${err.op}: ${err.detail} [${err.code}]`);
    const frame = excerptFor(loc.file, loc.line, loc.column, secret);
    if (frame) out.push(frame);
  } else {
    out.push(`confstack: ${err.message}`);
  }
  for (const issue of err.issues ?? []) out.push(...issueLines(issue, err.code, secretPaths));
  // The cause summary of formatConfigError (codes and names only, never foreign messages).
  for (const line of formatConfigError(err).split('\n')) if (line.startsWith('  caused by:')) out.push(line);
  return `${out.join('\n')}\n`;
}

function safeIsSecretPath(key: string, secretPaths?: ReadonlySet<string>): boolean {
  try {
    return isSecretPath(key.replace(/\[(\d+)\]/g, '.$1'), secretPaths);
  } catch {
    return false;
  }
}

/** One line of `watch` output per changed key: `key: old → new` (values already redacted). */
export function formatChange(key: string, before: unknown, after: unknown): string {
  return `  ${key}: ${renderScalar(before)} → ${renderScalar(after)}`;
}
