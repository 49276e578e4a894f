/**
 * Checks ProviderOptions before a creator sees them: types of the known fields, unknown option
 * names, required options from the type's metadata, and a type's own extra checks. Every problem is
 * collected (zod style), then reported at once as `provider_config_invalid`. Messages name options
 * and types, never values (an option may hold a password).
 */
import { ConfigError, ErrorCode, type ConfigIssue } from '../foundation/errors.js';
import { isPlainRecord } from '../providers/provider.js';
import { isForbiddenSegment } from '../tree/path.js';
import { describeType } from './metadata.js';
import type { ProviderMetadata, ProviderOptions } from './types.js';

/** A type's own option checks (built-ins use it for `providerSpecific` shapes). */
export type OptionsCheck = (options: ProviderOptions) => ConfigIssue[];

type FieldCheck = (v: unknown) => string | undefined;

const string: FieldCheck = (v) => (typeof v === 'string' ? undefined : `expected a string, got ${describeType(v)}`);
const nonEmptyString: FieldCheck = (v) => string(v) ?? ((v as string).length === 0 ? 'must not be empty' : undefined);
const boolean: FieldCheck = (v) => (typeof v === 'boolean' ? undefined : `expected a boolean, got ${describeType(v)}`);
const stringList: FieldCheck = (v) =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? undefined : 'expected a list of strings';
/** setTimeout's ceiling: a longer delay fires at once, which would turn "never" into "now". */
export const MAX_TIMER_MS = 2_147_483_647;
const positiveMs: FieldCheck = (v) =>
  typeof v !== 'number'
    ? `expected a number of milliseconds, got ${describeType(v)}`
    : !Number.isFinite(v) || v <= 0 || v > MAX_TIMER_MS
      ? `must be a finite number of milliseconds in (0, ${MAX_TIMER_MS}]`
      : undefined;
/** Retries beyond this are a configuration mistake (the backoff would run for hours). */
export const MAX_RETRIES = 20;
const retries: FieldCheck = (v) =>
  typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_RETRIES ? `expected an integer from 0 to ${MAX_RETRIES}` : undefined;
const record: FieldCheck = (v) => (isPlainRecord(v) ? undefined : `expected a plain object, got ${describeType(v)}`);

/** Every top-level option name, with its type check. */
const FIELDS: Readonly<Record<keyof ProviderOptions, FieldCheck>> = {
  path: nonEmptyString,
  configName: nonEmptyString,
  configPaths: stringList,
  envPrefix: string,
  format: nonEmptyString,
  optional: boolean,
  watch: boolean,
  cache: boolean,
  cacheTtlMs: positiveMs,
  loadTimeoutMs: positiveMs,
  maxRetries: retries,
  providerSpecific: record,
};

/** Options every type accepts: they are the registry's, not the provider's. */
const REGISTRY_OPTIONS: ReadonlySet<string> = new Set(['cache', 'cacheTtlMs', 'loadTimeoutMs', 'maxRetries', 'providerSpecific', 'watch']);

const SPECIFIC = 'providerSpecific.';

/** Checks options for one type; built once per registration (create's hot path calls it). */
export type OptionsValidator = (options: unknown, op: string) => ConfigIssue[];

/**
 * Builds the validator for a type with `metadata`: it returns every problem with `options` (empty
 * when valid) and throws `forbidden_key` for a `__proto__`/`constructor`/`prototype` option name.
 */
export function compileOptionsValidator(metadata: ProviderMetadata, check: OptionsCheck | undefined): OptionsValidator {
  const declared: ReadonlySet<string> = new Set([...metadata.requiredOptions, ...metadata.optionalOptions]);
  const spec: TypeSpec = {
    metadata,
    check,
    declared,
    // A type that declares its options (built-ins do) gets unsupported ones flagged; a bare custom
    // registration without option lists accepts every known field.
    strict: declared.size > 0,
    specificDeclared: [...declared].some((o) => o.startsWith(SPECIFIC)),
  };
  return (options, op) => optionIssues(spec, options, op);
}

/** What a type's validator knows of the type. */
interface TypeSpec {
  metadata: ProviderMetadata;
  check: OptionsCheck | undefined;
  declared: ReadonlySet<string>;
  strict: boolean;
  specificDeclared: boolean;
}

function optionIssues(spec: TypeSpec, options: unknown, op: string): ConfigIssue[] {
  if (options === undefined) options = {};
  if (!isPlainRecord(options)) {
    return [{ path: '', message: `options must be a plain object, got ${describeType(options)}`, code: 'invalid_type' }];
  }
  const o = options as ProviderOptions;
  const specific = isPlainRecord(o.providerSpecific) ? o.providerSpecific : undefined;
  return [
    ...fieldIssues(spec, options, op),
    ...combinationIssues(spec, o),
    ...(specific ? specificIssues(spec, specific, op) : []),
    ...requiredIssues(spec, options, specific),
    // The type's own checks read `providerSpecific`; they run unless it is not an object, so a bad
    // top-level option does not hide the provider-specific problems.
    ...(o.providerSpecific === undefined || specific !== undefined ? typeCheckIssues(spec, o, op) : []),
  ];
}

/** Each option on its own: known, of the right type, used by this type. */
function fieldIssues({ metadata, declared, strict }: TypeSpec, options: Record<string, unknown>, op: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(options)) {
    forbid(key, key, metadata.name, op);
    const value = options[key];
    // Own keys only: `valueOf` or `hasOwnProperty` must not find Object.prototype's methods.
    const fieldCheck = Object.hasOwn(FIELDS, key) ? (FIELDS as Readonly<Record<string, FieldCheck>>)[key] : undefined;
    if (fieldCheck === undefined) {
      issues.push({ path: key, message: `unknown option "${key.slice(0, 64)}"`, code: 'unknown_option' });
      continue;
    }
    if (value === undefined) continue;
    const problem = fieldCheck(value);
    if (problem !== undefined) issues.push({ path: key, message: problem, code: 'invalid_type' });
    else if (strict && !REGISTRY_OPTIONS.has(key) && !declared.has(key)) {
      issues.push({ path: key, message: `provider type "${metadata.name}" does not use option "${key}"`, code: 'unsupported_option' });
    }
  }
  return issues;
}

/** Options that this type cannot honour, or that need another option. */
function combinationIssues({ metadata, strict }: TypeSpec, o: ProviderOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (o.watch === true && strict && !metadata.supportsWatch) {
    issues.push({ path: 'watch', message: `provider type "${metadata.name}" does not support watching`, code: 'unsupported_option' });
  }
  if (typeof o.format === 'string' && metadata.supportedFormats.length > 0) {
    const f = o.format.toLowerCase();
    if (f !== 'auto' && !metadata.supportedFormats.includes(f)) {
      issues.push({
        path: 'format',
        message: `provider type "${metadata.name}" supports formats ${metadata.supportedFormats.join(', ')}`,
        code: 'unsupported_format',
      });
    }
  }
  if (o.cacheTtlMs !== undefined && o.cache !== true) {
    issues.push({ path: 'cacheTtlMs', message: 'cacheTtlMs needs cache: true', code: 'invalid_value' });
  }
  return issues;
}

/** `providerSpecific` keys: never a forbidden name; declared ones only, when the type declares any. */
function specificIssues({ metadata, declared, specificDeclared }: TypeSpec, specific: Record<string, unknown>, op: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(specific)) {
    forbid(key, SPECIFIC + key, metadata.name, op);
    if (specificDeclared && !declared.has(SPECIFIC + key)) {
      issues.push({ path: SPECIFIC + key, message: `provider type "${metadata.name}" does not use option "${key.slice(0, 64)}"`, code: 'unsupported_option' });
    }
  }
  return issues;
}

function requiredIssues({ metadata }: TypeSpec, options: Record<string, unknown>, specific: Record<string, unknown> | undefined): ConfigIssue[] {
  return metadata.requiredOptions
    .filter((req) => (req.startsWith(SPECIFIC) ? specific?.[req.slice(SPECIFIC.length)] : options[req]) === undefined)
    .map((req) => ({ path: req, message: `required by provider type "${metadata.name}"`, code: ErrorCode.MissingRequired }));
}

function typeCheckIssues({ metadata, check }: TypeSpec, o: ProviderOptions, op: string): ConfigIssue[] {
  if (!check) return [];
  try {
    return check(o);
  } catch (err) {
    throw new ConfigError({ op, code: ErrorCode.ProviderConfigInvalid, message: `options check of provider type "${metadata.name}" failed`, provider: metadata.name, cause: err });
  }
}

function forbid(key: string, path: string, provider: string, op: string): void {
  if (!isForbiddenSegment(key)) return;
  throw new ConfigError({
    op,
    code: ErrorCode.ForbiddenKey,
    message: `option name "${key}" is not allowed`,
    provider,
    location: { key: path },
  });
}

/**
 * Throws `provider_config_invalid` with every problem in `issues` unless `options` are valid for the type.
 * @throws ConfigError provider_config_invalid, forbidden_key
 */
export function assertOptions(metadata: ProviderMetadata, validate: OptionsValidator, options: unknown, op: string): void {
  const issues = validate(options, op);
  if (issues.length === 0) return;
  throw new ConfigError({
    op,
    code: ErrorCode.ProviderConfigInvalid,
    message: `invalid options for provider type "${metadata.name}" (${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues
      .slice(0, 5)
      .map((i) => i.path || '(options)')
      .join(', ')}${issues.length > 5 ? ', …' : ''})`,
    provider: metadata.name,
    issues,
  });
}
