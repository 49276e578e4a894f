/**
 * The built-in provider types (`file yaml json toml env defaults composite etcd`): their metadata,
 * option checks and creators. Registered into a registry by registerBuiltinProviders(), which
 * globalRegistry runs on first use. etcd is metadata only until one is created: its creator imports
 * `confstack/etcd` (and so `etcd3`) on demand.
 */
import type { ConfigIssue } from '../foundation/errors.js';
import { compositeProvider } from '../providers/composite.js';
import { envProvider } from '../providers/env.js';
import { fileProvider, type FileProviderOptions } from '../providers/file.js';
import { defaultsProvider } from '../providers/memory.js';
import { isPlainRecord, type Provider } from '../providers/provider.js';
import { describeType } from './metadata.js';
import type { OptionsCheck } from './options.js';
import type { ProviderRegistry } from './provider-registry.js';
import { ProviderCapabilities as C, type ProviderMetadataInit, type ProviderOptions } from './types.js';

const FILE_FORMATS = ['yaml', 'json', 'toml', 'env'];

type Check = (value: unknown) => string | undefined;
const str: Check = (v) => (typeof v === 'string' ? undefined : `expected a string, got ${describeType(v)}`);
const nonEmpty: Check = (v) => str(v) ?? ((v as string).length === 0 ? 'must not be empty' : undefined);
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : `expected a boolean, got ${describeType(v)}`);
const plain: Check = (v) => (isPlainRecord(v) ? undefined : `expected a plain object, got ${describeType(v)}`);
const fn: Check = (v) => (typeof v === 'function' ? undefined : `expected a function, got ${describeType(v)}`);
const ms: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'expected a positive number of milliseconds');
const oneOf =
  (...allowed: string[]): Check =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? undefined : `expected one of ${allowed.join(', ')}`;
const envRecord: Check = (v) =>
  isPlainRecord(v) && Object.values(v).every((x) => x === undefined || typeof x === 'string')
    ? undefined
    : 'expected an object of strings (an environment)';
const endpoints: Check = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'string' && e.length > 0) ? undefined : 'expected a non-empty list of URLs';
const providers: Check = (v) =>
  Array.isArray(v) && v.every((p) => p !== null && typeof p === 'object' && typeof (p as Provider).load === 'function')
    ? undefined
    : 'expected a list of providers';
const auth: Check = (v) =>
  isPlainRecord(v) && typeof v.username === 'string' && typeof v.password === 'string' ? undefined : 'expected { username, password } strings';

/** An OptionsCheck over `providerSpecific` fields (only the present ones are checked). */
function specific(checks: Record<string, Check>): OptionsCheck {
  return (options) => {
    const issues: ConfigIssue[] = [];
    const ps = options.providerSpecific ?? {};
    for (const [key, check] of Object.entries(checks)) {
      const v = ps[key];
      if (v === undefined) continue;
      const problem = check(v);
      if (problem !== undefined) issues.push({ path: `providerSpecific.${key}`, message: problem, code: 'invalid_type' });
    }
    return issues;
  };
}

const FILE_OPTIONS = ['path', 'configName', 'configPaths', 'format', 'optional', 'providerSpecific.profile', 'providerSpecific.name', 'providerSpecific.limits'];
const fileCheck = specific({ profile: nonEmpty, name: nonEmpty, limits: plain });

function fileOptions(o: ProviderOptions, format?: string): FileProviderOptions {
  const ps = o.providerSpecific ?? {};
  const fmt = format ?? o.format;
  return {
    ...(o.path !== undefined ? { path: o.path } : {}),
    ...(o.configName !== undefined ? { configName: o.configName } : {}),
    ...(o.configPaths !== undefined ? { configPaths: o.configPaths } : {}),
    ...(fmt !== undefined ? { format: fmt.toLowerCase() as FileProviderOptions['format'] } : {}),
    ...(ps.profile !== undefined ? { profile: ps.profile as string } : {}),
    ...(o.optional !== undefined ? { optional: o.optional } : {}),
    ...(ps.name !== undefined ? { name: ps.name as string } : {}),
    ...(ps.limits !== undefined ? { limits: ps.limits as FileProviderOptions['limits'] } : {}),
  };
}

/** The metadata of a file type: `file` (every format) and `yaml`/`json`/`toml` share all but these. */
function fileMetadata(description: string, supportedFormats: readonly string[], defaultFormat: string): ProviderMetadataInit {
  return {
    description,
    supportedFormats: [...supportedFormats],
    defaultFormat,
    capabilities: [C.FileLoading, C.Watching, C.HealthCheck, C.Interpolation, C.Profiles],
    supportsWatch: true,
    supportsEnvVars: false,
    requiredOptions: [],
    optionalOptions: FILE_OPTIONS,
    supportsHealthCheck: true,
  };
}

function fileFormatMetadata(format: string, label: string): ProviderMetadataInit {
  return fileMetadata(`${label} files: one path, or configName searched in configPaths, with profile overlays`, [format], format);
}

interface Builtin {
  name: string;
  creator: (o: ProviderOptions) => Provider | Promise<Provider>;
  metadata: ProviderMetadataInit;
  check?: OptionsCheck;
}

/** The built-in types, in registration order. Metadata is data: nothing here loads provider code. */
export const BUILTIN_PROVIDERS: readonly Builtin[] = [
  {
    name: 'file',
    creator: (o) => fileProvider(fileOptions(o)),
    metadata: fileMetadata(
      'Configuration files (YAML, JSON, TOML, .env): one path, or configName searched in configPaths, with profile overlays; format from the extension',
      FILE_FORMATS,
      'yaml',
    ),
    check: fileCheck,
  },
  { name: 'yaml', creator: (o) => fileProvider(fileOptions(o, 'yaml')), metadata: fileFormatMetadata('yaml', 'YAML'), check: fileCheck },
  { name: 'json', creator: (o) => fileProvider(fileOptions(o, 'json')), metadata: fileFormatMetadata('json', 'JSON'), check: fileCheck },
  { name: 'toml', creator: (o) => fileProvider(fileOptions(o, 'toml')), metadata: fileFormatMetadata('toml', 'TOML'), check: fileCheck },
  {
    name: 'env',
    creator: (o) => {
      const ps = o.providerSpecific ?? {};
      return envProvider({
        ...(o.envPrefix !== undefined ? { prefix: o.envPrefix } : {}),
        ...(ps.delimiter !== undefined ? { delimiter: ps.delimiter as string } : {}),
        ...(ps.env !== undefined ? { env: ps.env as Record<string, string | undefined> } : {}),
      });
    },
    metadata: {
      description: 'Environment variables PREFIX_KEY__PATH (and NAME_FILE=/path), matched against lower layers and coerced to their types',
      supportedFormats: [],
      capabilities: [C.EnvVars],
      supportsWatch: false,
      supportsEnvVars: true,
      requiredOptions: [],
      optionalOptions: ['envPrefix', 'providerSpecific.delimiter', 'providerSpecific.env'],
      supportsHealthCheck: false,
    },
    check: specific({ delimiter: nonEmpty, env: envRecord }),
  },
  {
    name: 'defaults',
    creator: (o) => defaultsProvider((o.providerSpecific?.values ?? {}) as Record<string, unknown>),
    metadata: {
      description: 'Programmatic default values (the lowest layer)',
      // Values given in code: the pseudo-format `memory` (as memoryProvider's type).
      supportedFormats: ['memory'],
      defaultFormat: 'memory',
      capabilities: [],
      supportsWatch: false,
      supportsEnvVars: false,
      requiredOptions: ['providerSpecific.values'],
      optionalOptions: [],
      supportsHealthCheck: false,
    },
    check: specific({ values: plain }),
  },
  {
    name: 'composite',
    creator: (o) => {
      const ps = o.providerSpecific ?? {};
      return compositeProvider(ps.providers as Provider[], {
        ...(ps.fallback !== undefined ? { fallback: ps.fallback as boolean } : {}),
        ...(ps.name !== undefined ? { name: ps.name as string } : {}),
        ...(ps.loadTimeoutMs !== undefined ? { loadTimeoutMs: ps.loadTimeoutMs as number } : {}),
        ...(ps.timeoutMs !== undefined ? { timeoutMs: ps.timeoutMs as number } : {}), // deprecated alias
      });
    },
    metadata: {
      description: 'Several providers as one, highest priority first; fallback skips providers that fail with a retryable error',
      // Its children bring the data, so it has no file format of its own; the pseudo-format
      // `composite` satisfies the metadata rule without making it answer `forFormat('yaml')`.
      supportedFormats: ['composite'],
      defaultFormat: 'composite',
      capabilities: [C.Watching, C.HealthCheck],
      supportsWatch: true,
      supportsEnvVars: false,
      requiredOptions: ['providerSpecific.providers'],
      optionalOptions: ['providerSpecific.fallback', 'providerSpecific.name', 'providerSpecific.loadTimeoutMs', 'providerSpecific.timeoutMs'],
      supportsHealthCheck: true,
    },
    check: specific({ providers, fallback: bool, name: nonEmpty, loadTimeoutMs: ms, timeoutMs: ms }),
  },
  {
    name: 'etcd',
    creator: async (o) => {
      const ps = o.providerSpecific ?? {};
      // The only path from the core to etcd3: loaded when an etcd provider is created, never at import.
      const { etcdProvider } = await import('../remote/etcd/index.js');
      type EtcdOptions = Parameters<typeof etcdProvider>[0];
      const pick = <K extends keyof EtcdOptions>(k: K): Partial<EtcdOptions> => (ps[k] !== undefined ? { [k]: ps[k] } : {});
      return etcdProvider({
        endpoints: ps.endpoints as string[],
        prefix: ps.prefix as string,
        ...pick('mode'),
        ...pick('key'),
        ...pick('auth'),
        ...pick('tls'),
        ...pick('dialTimeoutMs'),
        ...pick('loadTimeoutMs'),
        ...pick('name'),
        ...pick('onEvent'),
        ...(o.format !== undefined ? { format: o.format.toLowerCase() as EtcdOptions['format'] } : {}),
      });
    },
    metadata: {
      description: 'etcd v3: every key under a prefix is a path (keys mode), or one key holds a document; watched from the last seen revision',
      supportedFormats: ['yaml', 'json', 'toml'],
      capabilities: [C.Remote, C.Watching, C.HealthCheck, C.Interpolation],
      supportsWatch: true,
      supportsEnvVars: false,
      requiredOptions: ['providerSpecific.endpoints', 'providerSpecific.prefix'],
      optionalOptions: [
        'format',
        'providerSpecific.mode',
        'providerSpecific.key',
        'providerSpecific.auth',
        'providerSpecific.tls',
        'providerSpecific.dialTimeoutMs',
        'providerSpecific.loadTimeoutMs',
        'providerSpecific.name',
        'providerSpecific.onEvent',
      ],
      supportsHealthCheck: true,
    },
    check: specific({
      endpoints,
      prefix: str,
      mode: oneOf('keys', 'document'),
      key: nonEmpty,
      auth,
      tls: plain,
      dialTimeoutMs: ms,
      loadTimeoutMs: ms,
      name: nonEmpty,
      onEvent: fn,
    }),
  },
];

/**
 * Registers the built-in types into `registry`.
 * @throws ConfigError provider_already_registered if one of the names is taken
 * @example const registry = new ProviderRegistry({ initialize: registerBuiltinProviders });
 */
export function registerBuiltinProviders(registry: ProviderRegistry): void {
  for (const b of BUILTIN_PROVIDERS) registry.register(b.name, b.creator, b.metadata, b.check ? { validateOptions: b.check } : {});
}
