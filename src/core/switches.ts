/**
 * The switches of a load and what they decide, in one place. Three switches could say "do less":
 * `schema: false` (there is no schema), `validate: false` (there is one, do not check with it)
 * and `setDefaults: false` (check, but return the input as it was merged). planLoad reads them
 * once; the loader, watchConfig and the CLI act on its plan, never on the switches themselves.
 *
 * | schema                | validate | setDefaults | checks                      | returns                                   |
 * |-----------------------|----------|-------------|-----------------------------|-------------------------------------------|
 * | a schema (default: the framework's) | true | true | schema, unknown env vars | the schema's output (defaults applied) |
 * | a schema              | true     | false       | schema, unknown env vars    | the merged input, as merged               |
 * | a schema              | false    | true        | nothing                     | the merged input with the schema's defaults |
 * | a schema              | false    | false       | nothing                     | the merged input                          |
 * | `false`               | –        | –           | nothing                     | the merged input                          |
 *
 * In every row with a schema, the values it marks secret are redacted. Saying `validate: true` or
 * `setDefaults: true` next to `schema: false` is a contradiction a reader would misread (which
 * schema?), so it is refused. docs/application-authors.md has the same table for users.
 */
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import type { StandardSchemaV1 } from '../foundation/standard-schema.js';
import { loadTimeoutOf } from '../providers/deadline.js';

/** The LoadOptions that decide what a load checks and returns, and how long a source may take. */
export interface LoadSwitches {
  /** Any Standard Schema (zod, valibot…); `false` for none. Default (from `confstack`): the framework preset. */
  schema?: StandardSchemaV1 | false;
  /** Check the merged configuration with the schema. Default true; meaningless (refused) with `schema: false`. */
  validate?: boolean;
  /**
   * Return the schema's output, its defaults filled in (default true); `false` returns the merged
   * input as it was, validated or not. With `validate: false` the defaults are still filled in
   * (framework defaults, or the `default`s of the JSON Schema a custom schema offers) and nothing
   * is checked. Refused with `schema: false`.
   */
  setDefaults?: boolean;
  /**
   * Bound on each non-local source's load, in ms (`remote_load_timeout`). Default 30,000; `Infinity`
   * for none. Local ones (files, env, memory) read synchronously and have none.
   */
  loadTimeoutMs?: number;
  /** @deprecated the same as `loadTimeoutMs`, its name before the option had one name everywhere. */
  providerTimeoutMs?: number;
}

/** What a load does (see the table above). */
export interface LoadPlan {
  /** The schema the merged configuration is checked with; undefined when nothing is checked. */
  readonly validateWith: StandardSchemaV1 | undefined;
  /** A checked load returns the schema's output (true) or the merged input (false). */
  readonly returnOutput: boolean;
  /** The schema whose defaults an unchecked load fills in. */
  readonly defaultsFrom: StandardSchemaV1 | undefined;
  /** The schema whose secret marks apply, checked or not. */
  readonly secretsFrom: StandardSchemaV1 | undefined;
  readonly loadTimeoutMs: number;
}

export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;

/** @throws ConfigError invalid_parameters for a contradiction (see the module comment) or a bad loadTimeoutMs */
export function planLoad(options: LoadSwitches): LoadPlan {
  const loadTimeoutMs = loadTimeoutOf(options, 'providerTimeoutMs', 'load') ?? DEFAULT_LOAD_TIMEOUT_MS;
  if (options.schema === false) {
    const said = (['validate', 'setDefaults'] as const).find((key) => options[key] === true);
    if (said !== undefined) {
      throw new ConfigError({
        op: 'load',
        code: ErrorCode.InvalidParameters,
        message: `${said}: true contradicts schema: false (there is no schema to ${said === 'validate' ? 'check with' : 'take defaults from'}); drop one of them`,
        location: { key: said },
      });
    }
  }
  if (options.schema === false || options.schema === undefined) {
    return { validateWith: undefined, returnOutput: false, defaultsFrom: undefined, secretsFrom: undefined, loadTimeoutMs };
  }
  const schema = options.schema;
  const check = options.validate !== false;
  const defaults = options.setDefaults !== false;
  return {
    validateWith: check ? schema : undefined,
    returnOutput: check && defaults,
    defaultsFrom: !check && defaults ? schema : undefined,
    secretsFrom: schema,
    loadTimeoutMs,
  };
}
