/**
 * Generates docs/errors.md from ErrorCode, so the table cannot drift from the code: the
 * description map is typed Record<ErrorCode, …>, so adding a code without documenting it fails
 * the type-check, and test/integration/readme.test.ts fails if the file is stale.
 * Usage: `npx tsx scripts/gen-error-docs.ts` (write) or `… --check` (exit 1 when stale).
 */
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../src/foundation/errors.js';
import { writeOrCheck } from './generated-file.js';

interface CodeDoc {
  when: string;
  retryable?: boolean;
}

const DOCS: Record<ErrorCode, CodeDoc> = {
  invalid_config: { when: 'The configuration is unusable as a whole (e.g. a config path is a directory, the root is not a mapping).' },
  validation_failed: { when: 'The schema rejected values. `issues[]` lists every problem with its key path and origin (file:line:col, env var, etcd key).' },
  file_not_found: { when: 'A required config file does not exist; the message lists every path searched. Also a directory given explicitly in `configPaths` that does not exist (a typo is never an empty config).' },
  file_access_error: { when: 'A file exists but cannot be read (EACCES, EISDIR…); the errno code is in the cause.' },
  parse_failed: { when: 'A file or value is not valid YAML/JSON/TOML/.env (also bad encoding, unsupported tags, multiple documents, number precision). Located at line:col; the excerpt never shows secret values.' },
  unsupported_format: { when: 'The format cannot be told from the extension, or is not supported.' },
  missing_required: { when: 'A value the application declared required is absent.' },
  invalid_parameters: { when: 'An API was called with bad options (a malformed key path, a hostile schema, bad CLI key argument, `compositeProvider([])`).' },
  load_failed: {
    when: 'A provider failed to load for a reason not covered by a more specific code (the cause says why). Retryable by default, as in the Go package (which hinted a retry after 2 s): its usual cause is I/O inside a provider, so `fallback: true` skips it and a registry `maxRetries` retries it. Not retryable when the load was aborted (`aborted`; a composite never skips a child of an aborted load) or the provider broke the Layer contract (`returned no values object`).',
    retryable: true,
  },
  provider_unavailable: { when: 'A source is unreachable for now (etcd down, permission denied on a remote, a missing optional package). Retryable.', retryable: true },
  remote_load_timeout: { when: 'A provider did not answer within its timeout. Retryable.', retryable: true },
  all_providers_failed: { when: 'With `fallback: true`, every provider failed; the cause is an AggregateError of each failure.' },
  config_not_found: { when: 'A named lookup (`getAgentConfig(name)`, `getLLMProviderConfig(name)`…) found nothing.' },
  key_not_found: { when: 'A key path has no value (`confstack get`/`explain` of an unset key).' },
  type_mismatch: { when: 'A getter found a value it cannot coerce (`getInt` on `"abc"`).' },
  interpolation_failed: { when: '`${VAR}` names an unset variable without a default, or references form a cycle; names the variable and the file:line where it is used.' },
  environment_error: { when: 'An environment variable cannot be mapped (e.g. a `_FILE` variable whose file cannot be read, a list item created by index over a named list without its `NAME`).' },
  registry_not_initialized: { when: 'The provider registry was used before it could be built.' },
  provider_not_found: { when: 'No provider type is registered under that name; the message suggests the closest known name.' },
  provider_already_registered: { when: 'A provider type was registered twice under one name (registration is not last-wins).' },
  provider_creation_failed: {
    when: 'A registered creator threw while building a provider; the cause is attached. Retryable by default, as in the Go package (which hinted 3 s); a ConfigError cause keeps its own verdict (`provider_config_invalid` is not), and a creator that returned something other than a Provider is not retryable.',
    retryable: true,
  },
  provider_config_invalid: { when: "Options given to a provider type do not match its metadata (missing required option, wrong type)." },
  limit_exceeded: { when: 'A resource limit was crossed: depth, document size, scalar size, node count, alias expansion, interpolation depth.' },
  reload_rejected: { when: 'A live reload produced a config that failed to load or validate; the last good config stays current. The cause holds the reason.' },
  forbidden_key: { when: 'A key `__proto__`, `constructor` or `prototype` arrived from any source (file, env, etcd, `--set`, code). Rejected with its location, never dropped silently.' },
  duplicate_key: { when: 'A key appears twice in one mapping (JSON, YAML, TOML, .env); located at the second occurrence.' },
};

/** The Markdown of docs/errors.md. */
export function renderErrorDocs(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated by scripts/gen-error-docs.ts from ErrorCode in src/foundation/errors.ts. Do not edit by hand. -->',
    '',
    'Every failure confstack raises is a `ConfigError` with one of these `code`s. Match on the code',
    '(`isConfigError(err, "parse_failed")`), never on the message. `retryable` is true for transient',
    'failures; the column below is the default for the code, and a given error may say otherwise',
    '(`err.retryable` is the answer). `compositeProvider({ fallback: true })` skips exactly the',
    'children whose error is retryable. The CLI exits with 1 for every one of them and with 2 for usage errors (unknown',
    'command or flag, bad `--format`, conflicting flags, `--set` without `=`, a malformed key argument).',
    '',
    '| Code | Constant | Retryable | When |',
    '|---|---|---|---|',
  ];
  for (const [constant, code] of Object.entries(ErrorCode)) {
    const doc = DOCS[code];
    lines.push(`| \`${code}\` | \`ErrorCode.${constant}\` | ${doc.retryable ? 'yes' : 'no'} | ${doc.when} |`);
  }
  lines.push('', `${Object.keys(ErrorCode).length} codes.`, '');
  return lines.join('\n');
}

const target = fileURLToPath(new URL('../docs/errors.md', import.meta.url));
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!writeOrCheck(target, renderErrorDocs(), 'docs/errors.md', 'npx tsx scripts/gen-error-docs.ts')) process.exit(1);
}
