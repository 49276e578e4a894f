/**
 * The project file: one `confstack.config.{ts,mts,mjs,js}` that the app and the CLI share.
 * `defineConfig` only types it; finding and loading the file is the CLI's job (cli/project.ts).
 */
import type { LoadOptions } from './load.js';

/** No keys beyond LoadOptions' own: a misspelt option is a compile error. */
type OnlyLoadOptions<O> = O & Record<Exclude<keyof O, keyof LoadOptions>, never>;

/**
 * Declares the load options of a project, for the default export of `confstack.config.ts`. Returns
 * `options` itself (no copy, no defaults filled in), with its own type kept, so that
 * `loadConfig(projectConfig)` is typed as if the options were written inline (by the schema's
 * output; `Config<unknown>` for `schema: false` or `validate: false`), and a misspelt option is a
 * compile error.
 * @example
 * // confstack.config.ts
 * export default defineConfig({ schema: AppSchema, envPrefix: 'MYAPP', configPaths: ['./config'] });
 * // app.ts
 * const config = await loadConfig(projectConfig); // typed by AppSchema's output
 */
export function defineConfig<O extends LoadOptions>(options: OnlyLoadOptions<O>): O {
  return options;
}
