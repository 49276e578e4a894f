/**
 * The project file: one `confstack.config.{ts,mts,mjs,js}` that the app and the CLI share.
 * `defineConfig` only types it; finding and loading the file is the CLI's job (cli/project.ts).
 */
import type { LoadOptions } from './load.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** What defineConfig returns: the same options, with the schema's type kept for loadConfig. */
export type ProjectConfig<S extends StandardSchemaV1 | false | undefined = undefined> = [S] extends [undefined]
  ? LoadOptions
  : Omit<LoadOptions, 'schema'> & { schema: S };

/**
 * Declares the load options of a project, for the default export of `confstack.config.ts`. Returns
 * `options` itself (no copy, no defaults filled in), typed so that `loadConfig(projectConfig)` is
 * typed by the schema's output, and so that a misspelt option is a compile error.
 * @example
 * // confstack.config.ts
 * export default defineConfig({ schema: AppSchema, envPrefix: 'MYAPP', configPaths: ['./config'] });
 * // app.ts
 * const config = await loadConfig(projectConfig); // Config<z.output<typeof AppSchema>>
 */
export function defineConfig<S extends StandardSchemaV1 | false | undefined = undefined>(options: LoadOptions & { schema?: S }): ProjectConfig<S> {
  return options as ProjectConfig<S>;
}
