/**
 * `.env` files: `KEY=value` lines, optional `export `, `#` comments, single, double and backtick
 * quotes (double quotes may span lines and understand \n \r \t \" \\). Each key becomes one
 * top-level string; turning `APP__SERVER__PORT` into `server.port` is the env provider's job.
 * Unquoted values keep a `#` that is not preceded by whitespace (`abc#def` stays whole: dotenv
 * and util.parseEnv truncate it silently). Written by hand: the grammar is small and we need
 * positions and our own error wording.
 */
import { ErrorCode } from '../foundation/errors.js';
import type { Position } from '../tree/origins.js';
import { isForbiddenSegment } from '../tree/path.js';
import { checkDocumentSize, exceedsBytes, parseError, type ParseProblem } from './failure.js';
import type { Format, ParseContext, Parsed } from './format.js';
import { MapPositions } from './positions.js';

const FORMAT = 'env';
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The `.env` format: a flat mapping of string values. Duplicate keys are `duplicate_key`. */
export const dotenvFormat: Format = {
  name: FORMAT,
  extensions: ['.env'],
  parse(text: string, ctx: ParseContext): Parsed {
    checkDocumentSize(FORMAT, text, ctx);
    const fail = (problem: ParseProblem): never => {
      throw parseError(FORMAT, ctx, problem);
    };
    const values: Record<string, unknown> = {};
    const positions = new Map<string, Position>();
    const lines = text.split('\n');
    const limits = ctx.limits;
    for (let ln = 0; ln < lines.length; ln++) {
      const raw = lines[ln]!.replace(/\r$/, '');
      const lineNo = ln + 1;
      let i = raw.search(/\S/);
      if (i === -1 || raw[i] === '#') continue;
      if (/^export[ \t]/.test(raw.slice(i))) {
        i += 6;
        while (raw[i] === ' ' || raw[i] === '\t') i++;
      }
      const keyStart = i;
      const eq = raw.indexOf('=', i);
      const at = { line: lineNo, column: keyStart + 1 };
      if (eq === -1) fail(syntax('expected KEY=value', at));
      const key = raw.slice(keyStart, eq).trimEnd();
      if (!KEY.test(key)) fail(syntax('invalid key', at));
      if (isForbiddenSegment(key)) fail({ code: ErrorCode.ForbiddenKey, detail: `key "${key}" is not allowed`, position: at });
      if (Object.prototype.hasOwnProperty.call(values, key)) fail({ code: ErrorCode.DuplicateKey, detail: 'duplicate key', position: at, key });
      let v = eq + 1;
      while (raw[v] === ' ' || raw[v] === '\t') v++;
      let value: string;
      const q = raw[v];
      if (q === '"' || q === "'" || q === '`') ({ value, ln } = readQuoted(lines, ln, v, q, fail));
      else value = readBare(raw, v);
      if (exceedsBytes(value, limits.maxScalarBytes)) {
        fail({
          code: ErrorCode.LimitExceeded,
          detail: `a value is longer than maxScalarBytes (${limits.maxScalarBytes})`,
          position: at,
          key,
          context: { limit: 'maxScalarBytes', max: limits.maxScalarBytes },
        });
      }
      values[key] = value;
      positions.set(key, at);
      if (positions.size > limits.maxNodes) {
        fail({
          code: ErrorCode.LimitExceeded,
          detail: `document has more than maxNodes (${limits.maxNodes}) keys`,
          position: at,
          context: { limit: 'maxNodes', max: limits.maxNodes },
        });
      }
    }
    return { values, positions: new MapPositions(positions) };
  },
};

/**
 * A quoted value whose opening quote is at `v` on line `ln`, continuing onto the following lines
 * until its closing quote: its text (escapes read in double quotes) and the line it ends on.
 */
function readQuoted(lines: readonly string[], ln: number, v: number, q: string, fail: (p: ParseProblem) => never): { value: string; ln: number } {
  const first = ln;
  let body = '';
  let line = lines[ln]!.replace(/\r$/, '');
  let from = v + 1;
  let close = findClose(line, from, q);
  while (close === -1) {
    body += `${line.slice(from)}\n`;
    ln++;
    if (ln >= lines.length) fail(syntax('unterminated quoted value', { line: first + 1, column: v + 1 }));
    line = lines[ln]!.replace(/\r$/, '');
    from = 0;
    close = findClose(line, from, q);
  }
  body += line.slice(from, close);
  const rest = line.slice(close + 1).trim();
  if (rest !== '' && !rest.startsWith('#')) fail(syntax('unexpected text after a quoted value', { line: ln + 1, column: close + 2 }));
  return { value: q === '"' ? unescapeDouble(body) : body, ln };
}

/** An unquoted value: to the end of the line or a ` #` comment, trailing blanks dropped. */
function readBare(raw: string, v: number): string {
  const value = raw.slice(v);
  const comment = value.search(/[ \t]#/);
  return (comment === -1 ? value : value.slice(0, comment)).trimEnd();
}

function syntax(category: string, position: Position): ParseProblem {
  return { code: ErrorCode.ParseFailed, detail: `invalid .env: ${category}`, position, context: { reason: category } };
}

/** Index of the closing quote `q` in `line` from `from` (backslash escapes only in "…"). */
function findClose(line: string, from: number, q: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && q === '"') i++;
    else if (c === q) return i;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nrt"\\])/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return c;
    }
  });
}
