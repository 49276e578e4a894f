/**
 * Registry name and metadata rules: which type names are valid and how metadata given to
 * `register` is checked and normalised into a frozen ProviderMetadata.
 */
import { ConfigError, ErrorCode, type ConfigIssue } from '../foundation/errors.js';
import { PROVIDER_OPTION_FIELDS, ProviderCapabilities, type ProviderMetadata, type ProviderMetadataInit } from './types.js';

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** Long enough for any sensible type name, short enough to keep messages readable. */
export const MAX_NAME_LENGTH = 64;

const KNOWN_CAPABILITIES: ReadonlySet<string> = new Set(Object.values(ProviderCapabilities));

/** True if `name` is a valid provider type name. */
export function isValidProviderName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_NAME_LENGTH && NAME.test(name);
}

/** Throws `invalid_parameters` unless `name` is a valid provider type name. */
export function assertProviderName(name: unknown, op: string): asserts name is string {
  if (isValidProviderName(name)) return;
  const why =
    typeof name !== 'string'
      ? `a provider type name must be a string, got ${describeType(name)}`
      : name.length === 0
        ? 'a provider type name must not be empty'
        : name.length > MAX_NAME_LENGTH
          ? `a provider type name is at most ${MAX_NAME_LENGTH} characters`
          : 'a provider type name is lower-case letters, digits, ".", "_" and "-", starting with a letter or digit';
  throw new ConfigError({
    op,
    code: ErrorCode.InvalidParameters,
    message: why,
    context: typeof name === 'string' && name.length <= 200 ? { name } : {},
  });
}

/** `typeof`, with null and arrays told apart: for messages that must not quote values. */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);
}

function isOptionName(o: string): boolean {
  return Object.hasOwn(PROVIDER_OPTION_FIELDS, o) || /^providerSpecific\.[^.]+$/.test(o);
}

/** True if `capability` is a known capability or an `x-` custom one. */
export function isKnownCapability(capability: string): boolean {
  return KNOWN_CAPABILITIES.has(capability) || /^x-[a-z0-9][a-z0-9._-]*$/.test(capability);
}

/** Each field of the type its name promises; the health-check flag and its old name agree. */
function checkFieldTypes(init: ProviderMetadataInit, bad: (path: string, message: string) => void): void {
  for (const key of ['description', 'version', 'defaultFormat'] as const) {
    if (init[key] !== undefined && typeof init[key] !== 'string') bad(key, `expected a string, got ${describeType(init[key])}`);
  }
  for (const key of ['supportedFormats', 'capabilities', 'requiredOptions', 'optionalOptions'] as const) {
    if (init[key] !== undefined && !isStringList(init[key])) bad(key, 'expected a list of non-empty strings');
  }
  for (const key of ['supportsWatch', 'supportsEnvVars', 'supportsHealthCheck', 'healthCheckSupported'] as const) {
    if (init[key] !== undefined && typeof init[key] !== 'boolean') bad(key, `expected a boolean, got ${describeType(init[key])}`);
  }
  if (typeof init.supportsHealthCheck === 'boolean' && typeof init.healthCheckSupported === 'boolean' && init.supportsHealthCheck !== init.healthCheckSupported) {
    bad('healthCheckSupported', 'differs from supportsHealthCheck (its deprecated alias): give supportsHealthCheck only');
  }
}

/**
 * Checks `init` and returns the normalised, deeply frozen metadata for type `name`.
 * Without `init`, the metadata is minimal (no formats, no capabilities) and the
 * "a format, or the remote or env_vars capability" rule is not applied: a bare custom creator
 * is allowed, it just does not show up in format or capability queries.
 * @throws ConfigError invalid_parameters listing every problem in `issues`
 */
export function normaliseMetadata(name: string, init: ProviderMetadataInit | undefined, op: string): ProviderMetadata {
  if (init === undefined) return freezeMetadata({ name, description: '', supportedFormats: [], capabilities: [] });
  const issues: ConfigIssue[] = [];
  const bad = (path: string, message: string): void => {
    issues.push({ path, message, code: ErrorCode.InvalidParameters });
  };
  if (init === null || typeof init !== 'object' || Array.isArray(init)) {
    throw new ConfigError({ op, code: ErrorCode.InvalidParameters, message: `metadata must be an object, got ${describeType(init)}` });
  }
  if (init.name !== undefined && init.name !== name) bad('name', 'metadata name differs from the registered name');
  checkFieldTypes(init, bad);
  // An option name nothing can set would make every `create` fail (unknown, yet required).
  for (const key of ['requiredOptions', 'optionalOptions'] as const) {
    const names = init[key];
    if (!isStringList(names)) continue;
    names.forEach((o, i) => {
      if (!isOptionName(o)) bad(`${key}.${i}`, `"${o.slice(0, 64)}" is not an option: a ProviderOptions field or providerSpecific.<key>`);
    });
  }
  const formats = isStringList(init.supportedFormats) ? init.supportedFormats.map((f) => f.toLowerCase()) : [];
  const capabilities = isStringList(init.capabilities) ? [...init.capabilities] : [];
  capabilities.forEach((c, i) => {
    if (!isKnownCapability(c)) bad(`capabilities.${i}`, `unknown capability "${c.slice(0, 64)}" (known: ${[...KNOWN_CAPABILITIES].join(', ')}; custom ones start with "x-")`);
  });
  // A malformed list is reported once above, not again by the rules that read it.
  const formatsOk = init.supportedFormats === undefined || isStringList(init.supportedFormats);
  if (formatsOk && formats.length === 0 && !capabilities.includes(ProviderCapabilities.Remote) && !capabilities.includes(ProviderCapabilities.EnvVars)) {
    bad('supportedFormats', 'a provider needs at least one supported format, or the "remote" or "env_vars" capability');
  }
  if (formatsOk && typeof init.defaultFormat === 'string' && !formats.includes(init.defaultFormat.toLowerCase())) {
    bad('defaultFormat', 'defaultFormat must be one of supportedFormats');
  }
  if (issues.length > 0) {
    throw new ConfigError({
      op,
      code: ErrorCode.InvalidParameters,
      message: `invalid metadata for provider type "${name}" (${issues.length} problem${issues.length === 1 ? '' : 's'})`,
      issues,
      context: { name },
    });
  }
  return freezeMetadata({
    ...init,
    name,
    description: init.description ?? '',
    supportedFormats: formats,
    ...(typeof init.defaultFormat === 'string' ? { defaultFormat: init.defaultFormat.toLowerCase() } : {}),
    capabilities,
    ...(isStringList(init.requiredOptions) ? { requiredOptions: init.requiredOptions } : {}),
    ...(isStringList(init.optionalOptions) ? { optionalOptions: init.optionalOptions } : {}),
  });
}

function freezeMetadata(m: ProviderMetadataInit & { name: string; description: string }): ProviderMetadata {
  const out: ProviderMetadata = {
    name: m.name,
    description: m.description,
    ...(m.version !== undefined ? { version: m.version } : {}),
    supportedFormats: Object.freeze([...(m.supportedFormats ?? [])]),
    ...(m.defaultFormat !== undefined ? { defaultFormat: m.defaultFormat } : {}),
    capabilities: Object.freeze([...(m.capabilities ?? [])]),
    supportsWatch: m.supportsWatch ?? false,
    supportsEnvVars: m.supportsEnvVars ?? false,
    requiredOptions: Object.freeze([...(m.requiredOptions ?? [])]),
    optionalOptions: Object.freeze([...(m.optionalOptions ?? [])]),
    supportsHealthCheck: m.supportsHealthCheck ?? m.healthCheckSupported ?? false,
    healthCheckSupported: m.supportsHealthCheck ?? m.healthCheckSupported ?? false,
  };
  return Object.freeze(out);
}
