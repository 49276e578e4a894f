/**
 * The project file the CLI shares with the app: `confstack.config.{ts,mts,mjs,js}` in the current
 * directory, or the file `--project` names (anywhere). Its default export is the LoadOptions that
 * `defineConfig` typed. `.mjs`/`.js` load with Node's own `import()`; TypeScript files through
 * jiti, imported only when such a file is found (jiti measured ~60 ms over the import with its
 * file cache warm, ~200 ms cold; tsx's `tsImport` ~300 ms). Every failure (missing file, a throw,
 * a missing import, a wrong shape) is a usage error naming the file: exit 2.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import type { LoadOptions } from '../core/load.js';
import { isStandardSchema } from '../foundation/standard-schema.js';
import { closestNames } from '../foundation/suggest.js';

/** The names the CLI looks for, in this order. */
export const PROJECT_FILES = ['confstack.config.ts', 'confstack.config.mts', 'confstack.config.mjs', 'confstack.config.js'] as const;

/** A loaded project file. */
export interface Project {
  /** Absolute path of the file. */
  file: string;
  /** Its default export (not copied: the app gets the same object). */
  options: LoadOptions;
}

// Every LoadOptions key: a project file with another key has a typo (checked, with a suggestion).
const OPTION_KEYS = [
  'sources', 'configName', 'configPaths', 'envPrefix', 'profile', 'schema', 'validate', 'setDefaults', 'metrics', 'logger',
  'signal', 'env', 'limits', 'loadTimeoutMs', 'providerTimeoutMs', 'monitor', 'unknownEnv',
] as const satisfies readonly (keyof LoadOptions)[];

function usage(file: string, message: string, cause?: unknown): ConfigError {
  // op 'cli' + invalid_parameters is what the CLI maps to exit 2.
  return new ConfigError({ op: 'cli', code: ErrorCode.InvalidParameters, message, location: { file }, ...(cause !== undefined ? { cause } : {}) });
}

/** The project file to use: `--project` (resolved against `cwd`), else the first of PROJECT_FILES in `cwd`. */
export function findProjectFile(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const file = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    if (!existsSync(file) || !statSync(file).isFile()) throw usage(file, `project file not found: ${explicit}`);
    return file;
  }
  for (const name of PROJECT_FILES) {
    const file = resolve(cwd, name);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/** What an import failure says, without the thrown message (it may quote the file's text). */
function describeImportFailure(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const text = err instanceof Error ? err.message : '';
  const missing = /Cannot find (?:module|package) '([^']{1,200})'/.exec(text)?.[1];
  if (missing !== undefined && (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find/.test(text))) {
    // The specifier only (a path would be the user's own file, which is fine to show too).
    return `it imports "${missing}", which cannot be found (is it installed?)`;
  }
  if (err instanceof SyntaxError) return 'it has a syntax error (SyntaxError)';
  const name = err instanceof Error ? err.name : typeof err;
  return `it threw ${/^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : 'an error'}${typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? ` (${code})` : ''}`;
}

async function importFile(file: string): Promise<unknown> {
  const ext = extname(file).toLowerCase();
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    let createJiti: typeof import('jiti').createJiti;
    try {
      ({ createJiti } = await import('jiti'));
    } catch (err) {
      throw usage(file, 'loading a TypeScript project file needs the "jiti" package (npm install jiti)', err);
    }
    const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false });
    return jiti.import(file);
  }
  return import(pathToFileURL(file).href);
}

/**
 * Loads a project file and checks its shape: a default export that is a plain object whose keys
 * are LoadOptions keys, `schema` a Standard Schema or `false`, `sources` a list of providers.
 * @throws ConfigError invalid_parameters (op `cli`, location the file) for every failure
 */
export async function loadProjectFile(file: string): Promise<Project> {
  let mod: unknown;
  try {
    mod = await importFile(file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw usage(file, `project file failed to load: ${describeImportFailure(err)}`, err);
  }
  try {
    return checkShape(file, mod);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // A getter or Proxy in the export that throws while we look at it.
    throw usage(file, `project file's default export could not be read: ${describeImportFailure(err)}`, err);
  }
}

function checkShape(file: string, mod: unknown): Project {
  const options = mod !== null && typeof mod === 'object' && 'default' in mod ? (mod as { default: unknown }).default : undefined;
  if (options === undefined) throw usage(file, 'project file has no default export (export default defineConfig({ … }))');
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw usage(file, `project file's default export must be an object of load options (defineConfig({ … })), got ${options === null ? 'null' : Array.isArray(options) ? 'a list' : typeof options}`);
  }
  const rec = options as Record<string, unknown>;
  for (const key of Object.keys(rec)) {
    if ((OPTION_KEYS as readonly string[]).includes(key)) continue;
    const near = closestNames(key, OPTION_KEYS, 1)[0];
    throw usage(file, `project file sets unknown option "${key}"${near ? ` (did you mean "${near}"?)` : ''}`);
  }
  if (rec.schema !== undefined && rec.schema !== false && !isStandardSchema(rec.schema)) {
    throw usage(file, 'project file\'s "schema" is not a Standard Schema (zod, valibot, …) or false');
  }
  if (rec.sources !== undefined) {
    const ok = Array.isArray(rec.sources) && rec.sources.every((p) => p !== null && typeof p === 'object' && typeof (p as { load?: unknown }).load === 'function');
    if (!ok) throw usage(file, 'project file\'s "sources" must be a list of providers');
  }
  return { file, options: options as LoadOptions };
}

/** The project in effect for a CLI run, or undefined when there is no project file. */
export async function resolveProject(cwd: string, explicit?: string): Promise<Project | undefined> {
  const file = findProjectFile(cwd, explicit);
  return file === undefined ? undefined : loadProjectFile(file);
}

/** The directory relative `configPaths` of a project resolve against (the project's root). */
export function projectRoot(project: Project): string {
  return dirname(project.file);
}
