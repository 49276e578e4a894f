/**
 * Runs code in a fresh `node` with a module hook registered (node:module `register`), and returns
 * the lines the hook logged: how the import-cost tests see what a process really loads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * `hook(log)` is the source of a hooks module (`export async function resolve/load…`) that appends
 * lines to the file `log` (a JSON string literal, ready to paste). `code` runs as an ES module in
 * the repository root. Throws when the child fails.
 */
export function loggedByHook(hook: (log: string) => string, code: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'confstack-hooked-'));
  const hooks = join(dir, 'hooks.mjs');
  const log = join(dir, 'log.txt');
  writeFileSync(hooks, hook(JSON.stringify(log)));
  writeFileSync(log, '');
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`);
  execFileSync(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', code], { cwd: ROOT, stdio: 'ignore' });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

/** One module resolution: what was asked for, and the URL Node resolved it to. */
export interface Resolution {
  specifier: string;
  url: string;
}

/** Every module resolution `code` makes in a fresh node, in order (builtins and packages included). */
export function resolutionsOf(code: string): Resolution[] {
  const hook = (log: string) => `import { appendFileSync } from 'node:fs';
     export async function resolve(specifier, context, next) {
       const resolved = await next(specifier, context);
       appendFileSync(${log}, JSON.stringify({ specifier, url: resolved.url }) + '\\n');
       return resolved;
     }`;
  return loggedByHook(hook, code).map((line) => JSON.parse(line) as Resolution);
}

