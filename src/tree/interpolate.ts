/**
 * `${VAR}`, `${VAR:-default}` and the `$${` escape in string values from files and etcd.
 * Pure: the environment is passed in. Errors name the variable; the caller adds the location.
 */
import { ConfigError, ErrorCode, type ErrorLocation } from '../foundation/errors.js';

export interface InterpolateOptions {
  env: Readonly<Record<string, string | undefined>>;
  maxDepth: number;
  /**
   * Where the string came from, for errors; a function is called only when an error is raised
   * (resolving a line and column can mean re-parsing the file, which a successful load skips).
   */
  location?: ErrorLocation | (() => ErrorLocation | undefined);
  provider?: string;
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True if `s` may hold a reference or an escape (the cheap pre-check for the hot path). */
export function needsInterpolation(s: string): boolean {
  return s.includes('${');
}

/**
 * Expands references in `s`. A default may itself hold references (up to `maxDepth` levels).
 * @throws ConfigError interpolation_failed (missing variable, unterminated reference, bad name),
 *   limit_exceeded (defaults nested deeper than maxDepth)
 */
export function interpolate(s: string, opts: InterpolateOptions, depth = 0): string {
  if (depth > opts.maxDepth) {
    throw fail(opts, ErrorCode.LimitExceeded, `interpolation nested deeper than ${opts.maxDepth}`);
  }
  let out = '';
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, dollar);
    if (s.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
      continue;
    }
    if (s[dollar + 1] !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const end = findClose(s, dollar + 2);
    if (end < 0) throw fail(opts, ErrorCode.InterpolationFailed, 'unterminated ${ reference');
    const body = s.slice(dollar + 2, end);
    const sep = body.indexOf(':-');
    const name = sep >= 0 ? body.slice(0, sep) : body;
    if (!VAR_NAME.test(name)) {
      throw fail(opts, ErrorCode.InterpolationFailed, `invalid variable name in \${…} reference`, { variable: name.slice(0, 64) });
    }
    const value = opts.env[name];
    if (value !== undefined && (sep < 0 || value !== '')) out += value;
    else if (sep >= 0) out += interpolate(body.slice(sep + 2), opts, depth + 1);
    else {
      throw fail(opts, ErrorCode.InterpolationFailed, `environment variable ${name} is not set and has no default`, { variable: name });
    }
    i = end + 1;
  }
  return out;
}

/** Index of the `}` closing a reference whose body starts at `from`, honouring nested `${…}`. */
function findClose(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function fail(opts: InterpolateOptions, code: ErrorCode, message: string, context?: Record<string, unknown>): ConfigError {
  const location = typeof opts.location === 'function' ? opts.location() : opts.location;
  return new ConfigError({
    op: 'interpolate',
    code,
    message,
    ...(location ? { location } : {}),
    ...(opts.provider ? { provider: opts.provider } : {}),
    ...(context ? { context } : {}),
  });
}
