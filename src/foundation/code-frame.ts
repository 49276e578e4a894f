/**
 * Source excerpts under compiler-style error messages: read a line of a config file, mask the
 * secret values in it, draw the caret. Used by the error report in errors.ts (CLI output,
 * `util.inspect` of a ConfigError, `mustLoad`). Imports nothing of ours but secrets.ts.
 */
import { fs } from './node-fs.js';
import { isSecretKey, REDACTED, redactUrlCredentials } from './secrets.js';

const PAIR = /(["']?)([A-Za-z_$][\w$.-]*)\1(\s*[:=]\s*)([^,}\]\r\n#]*)/g;

/**
 * Masks secret values in one line of source text: the password of any URL with user info, the
 * value of every `key: value` / `key = value` pair whose key is a secret (YAML, JSON, TOML, .env,
 * flow mappings), and, when `wholeValue` is set (the line is known to hold a secret), everything
 * after the first `:` or `=`.
 */
export function maskSecretsInLine(line: string, wholeValue = false): string {
  // Secret keys first: their whole value goes, URL or not (the URL pass would cut it at `]`).
  let masked = line.replace(PAIR, (m, q: string, key: string, sep: string, value: string) =>
    isSecretKey(key) && value.trim() !== '' ? `${q}${key}${q}${sep}${maskValue(value)}` : m,
  );
  masked = redactUrlCredentials(masked);
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

/** The lines of a file, or undefined (missing, directory, too large). */
function fileLines(file: string): string[] | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_EXCERPT_FILE) return undefined;
    return fs.readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}

/** Reads line `line` (1-based) of a file, or undefined (missing, directory, too large, binary). */
export function readSourceLine(file: string, line: number): string | undefined {
  return textLine(fileLines(file), line);
}

function textLine(lines: string[] | undefined, line: number): string | undefined {
  const l = lines?.[line - 1];
  return l === undefined || l.includes('\u0000') ? undefined : l;
}

/**
 * A line reader that reads each file once: a report with hundreds of issues in one file must
 * not read it hundreds of times. Meant for one rendering, then dropped (files change).
 */
export function sourceLineReader(): (file: string, line: number) => string | undefined {
  const files = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!files.has(file)) files.set(file, fileLines(file));
    return textLine(files.get(file), line);
  };
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
