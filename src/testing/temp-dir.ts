/**
 * tempConfigDir: a throw-away directory under os.tmpdir() filled with config files, removed by
 * `cleanup()` or `await using`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { ConfigError } from '../index.js';

/** A temporary directory of config files. */
export interface TempConfigDir {
  /** Absolute path of the directory. */
  readonly dir: string;
  /** Absolute path of a file in it (`path('config/config.yaml')`). */
  path(name: string): string;
  /** Writes (or replaces) one file, creating parent directories. */
  write(name: string, content: string): Promise<string>;
  /** Removes the directory and everything in it; safe to call twice. */
  cleanup(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function safeRelative(name: string): string {
  const n = normalize(name);
  if (name === '' || isAbsolute(n) || n === '..' || n.startsWith(`..${sep}`)) {
    throw new ConfigError({ op: 'tempConfigDir', code: 'invalid_parameters', message: `file name "${name}" must stay inside the directory` });
  }
  return n;
}

/**
 * Creates a temporary directory holding `files` (relative path -> content; sub-folders allowed).
 * @example
 * await using tmp = await tempConfigDir({ 'config/config.yaml': 'server:\n  port: 8080\n' });
 * const config = await loadConfig({ configPaths: [tmp.path('config')] });
 */
export async function tempConfigDir(files: Record<string, string> = {}): Promise<TempConfigDir> {
  const dir = await mkdtemp(join(tmpdir(), 'confstack-test-'));
  const path = (name: string): string => join(dir, safeRelative(name));
  const write = async (name: string, content: string): Promise<string> => {
    const p = path(name);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, content);
    return p;
  };
  let removed: Promise<void> | undefined;
  const cleanup = (): Promise<void> => (removed ??= rm(dir, { recursive: true, force: true }));
  try {
    for (const [name, content] of Object.entries(files)) await write(name, content);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { dir, path, write, cleanup, [Symbol.asyncDispose]: cleanup };
}
