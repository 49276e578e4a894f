/**
 * Issues of a Standard Schema result, turned into ConfigIssues and one ConfigError, with secrets
 * redacted: an issue at a secret path (isSecretPath, or a path the caller marks) never carries the
 * validator's message, which may echo the value, its prefix or its length; it gets a generic
 * message naming the rule. Any other message that contains a secret value from the input (or its
 * first six characters) is replaced the same way.
 */
import { ConfigError, ErrorCode, type ConfigIssue } from '../../foundation/errors.js';
import { isSecretKey, isSecretPath } from '../../foundation/secrets.js';
import { issuePathSegments } from '../../foundation/standard-schema.js';
import { originToLocation, type Origin } from '../../tree/origins.js';
import { formatPath } from '../../tree/path.js';

/** Options of validateValue. */
export interface ValidateValueOptions {
  /** The origin of the value at a canonical key path (the loader's merged origin table). */
  originOf?: (path: string) => Origin | undefined;
  /** Set as the error's `provider`. */
  provider?: string;
  /** The error's `op`; default `validate`. */
  op?: string;
  /** More secret key paths (canonical dotted form) a schema marked, beyond isSecretKey's names. */
  secretPaths?: ReadonlySet<string>;
}

const MAX_MESSAGE = 300;
const MAX_ISSUES = 100_000;
const SECRET_PREFIX = 6;

export function schemaFault(op: string, what: string, err: unknown, value: unknown, opts: ValidateValueOptions): ConfigError {
  const cause = err === undefined ? undefined : safeCause(err, value, opts);
  return new ConfigError({
    op,
    code: ErrorCode.InvalidParameters,
    message: `${what}; the schema is malformed or not a Standard Schema`,
    ...(cause !== undefined ? { cause } : {}),
    ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
  });
}

/** The thrown value as cause, unless its text holds a secret from the value being validated. */
function safeCause(err: unknown, value: unknown, opts: ValidateValueOptions): unknown {
  const secrets = collectSecrets(value, opts.secretPaths);
  if (secrets.length === 0) return err;
  let text: string;
  try {
    text = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  } catch {
    return undefined;
  }
  return leaksSecret(text, secrets) ? undefined : err;
}

export function validationError(op: string, issues: ConfigIssue[], opts: ValidateValueOptions): ConfigError {
  const first = issues[0]!;
  const n = issues.length;
  const location = first.origin
    ? originToLocation(first.origin, first.path === '' ? undefined : first.path)
    : first.path === ''
      ? undefined
      : { key: first.path };
  return new ConfigError({
    op,
    code: ErrorCode.ValidationFailed,
    message: `${n} validation issue${n === 1 ? '' : 's'}; first: ${first.path === '' ? '(root) ' : ''}${first.message}`,
    issues,
    context: { issueCount: n },
    ...(location ? { location } : {}),
    ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
  });
}

export function convertIssues(raw: readonly unknown[], value: unknown, opts: ValidateValueOptions): ConfigIssue[] {
  let secrets: string[] | undefined; // computed only if some message needs checking
  const out: ConfigIssue[] = [];
  const count = Math.min(raw.length, MAX_ISSUES);
  for (let i = 0; i < count; i++) {
    const issue = raw[i];
    const rec = issue !== null && typeof issue === 'object' ? (issue as Record<string, unknown>) : {};
    const segments = issuePathSegments(rec.path);
    const path = formatPath(segments);
    const code = issueCode(rec);
    let message: string;
    secrets ??= collectSecrets(value, opts.secretPaths);
    if (isSecretPath(segments, opts.secretPaths)) {
      message = `${genericMessage(rec, code, secrets)} (secret value not shown)`;
    } else {
      message = cleanMessage(rec.message);
      if (secrets.length > 0 && leaksSecret(message, secrets)) message = genericMessage(rec, code, secrets);
    }
    const converted: ConfigIssue = { path, message };
    if (code !== undefined) converted.code = code;
    const origin = originFor(segments, opts.originOf);
    if (origin !== undefined) converted.origin = origin;
    out.push(converted);
  }
  if (raw.length > count) {
    out.push({ path: '', message: `${raw.length - count} more issues not listed`, code: 'too_many_issues' });
  }
  if (out.length === 0) out.push({ path: '', message: 'validation failed (the schema reported no details)' });
  return out;
}

const CODE_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * zod's `code` (or the cross-field rule's `params.code`); for valibot, `invalid_type` for a
 * schema mismatch, else its rule `type` (`min_length`); only when well-formed.
 */
function issueCode(rec: Record<string, unknown>): string | undefined {
  const params = rec.params;
  if (rec.code === 'custom' && params !== null && typeof params === 'object') {
    const c = (params as { code?: unknown }).code;
    if (typeof c === 'string' && CODE_RE.test(c)) return c;
  }
  if (typeof rec.code === 'string') return CODE_RE.test(rec.code) ? rec.code : undefined;
  // valibot: `kind: 'schema'` is a type mismatch (its `type` then names the schema, e.g. `string`).
  if (rec.kind === 'schema') return 'invalid_type';
  return typeof rec.type === 'string' && CODE_RE.test(rec.type) ? rec.type : undefined;
}

function cleanMessage(m: unknown): string {
  if (typeof m !== 'string' || m.trim() === '') return 'invalid value';
  const one = m.replace(/\s+/g, ' ').trim();
  return one.length > MAX_MESSAGE ? `${one.slice(0, MAX_MESSAGE)}…` : one;
}

const SAFE_RULE_TEXT = /^[\w<>=!.|"' -]{1,60}$/;

/** Text from an issue field that names a rule (`string`, `>=8`), if it is short and leaks nothing. */
function ruleText(v: unknown, secrets: readonly string[]): string | undefined {
  const s = typeof v === 'number' || typeof v === 'bigint' ? String(v) : v;
  if (typeof s !== 'string' || !SAFE_RULE_TEXT.test(s) || leaksSecret(s, secrets)) return undefined;
  return s;
}

/** A message built only from the rule (issue code and schema-side fields), never the value. */
function genericMessage(rec: Record<string, unknown>, code: string | undefined, secrets: readonly string[]): string {
  const expected = ruleText(rec.expected, secrets);
  switch (code) {
    case 'invalid_type':
      return expected ? `invalid type: expected ${expected}` : 'invalid type';
    case 'too_small': {
      const min = ruleText(rec.minimum, secrets);
      const what = rec.origin === 'string' ? ' characters' : rec.origin === 'array' ? ' items' : '';
      return min ? `too small: minimum ${min}${what}` : 'too small';
    }
    case 'too_big': {
      const max = ruleText(rec.maximum, secrets);
      const what = rec.origin === 'string' ? ' characters' : rec.origin === 'array' ? ' items' : '';
      return max ? `too big: maximum ${max}${what}` : 'too big';
    }
    case 'invalid_format': {
      const format = ruleText(rec.format, secrets);
      return format ? `invalid format: expected ${format}` : 'invalid format';
    }
    case 'invalid_value':
      return 'value not allowed';
    case 'custom':
      return 'failed a custom rule';
    default:
      return code ? `failed rule ${code}${expected ? ` (expected ${expected})` : ''}` : 'invalid value';
  }
}

/** True if `text` contains any secret or its first characters. */
function leaksSecret(text: string, secrets: readonly string[]): boolean {
  for (const s of secrets) if (text.includes(s.length > SECRET_PREFIX ? s.slice(0, SECRET_PREFIX) : s)) return true;
  return false;
}

/**
 * Scalar values under secret keys anywhere in the value (strings, and numbers as text), so that
 * messages at other paths can be checked for them. Bounded: 100k nodes, depth 64.
 */
function collectSecrets(value: unknown, extra: ReadonlySet<string> | undefined): string[] {
  const out = new Set<string>();
  let budget = 100_000;
  const visit = (v: unknown, path: string[], secret: boolean, depth: number): void => {
    if (--budget < 0 || depth > 64) return;
    if (v === null || v === undefined) return;
    if (typeof v !== 'object') {
      if (secret && (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint')) {
        const s = String(v);
        if (s !== '') out.add(s);
      }
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], extra ? [...path, String(i)] : path, secret, depth + 1);
      return;
    }
    for (const k of Object.keys(v)) {
      let child: unknown;
      try {
        child = (v as Record<string, unknown>)[k];
      } catch {
        continue;
      }
      const childPath = extra ? [...path, k] : path;
      visit(child, childPath, secret || isSecretKey(k) || (extra !== undefined && isSecretPath(childPath, extra)), depth + 1);
    }
  };
  visit(value, [], false, 0);
  return [...out];
}

/** The origin at `segments`, else at the nearest ancestor that has one. */
function originFor(segments: readonly string[], originOf: ValidateValueOptions['originOf']): Origin | undefined {
  if (!originOf) return undefined;
  for (let k = segments.length; k >= 0; k--) {
    let o: Origin | undefined;
    try {
      o = originOf(formatPath(segments.slice(0, k)));
    } catch {
      o = undefined;
    }
    if (o !== undefined && o !== null) return o;
  }
  return undefined;
}
