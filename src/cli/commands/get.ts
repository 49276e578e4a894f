/** `confstack get <key>`: one value (redacted unless `--show-secrets`); `key_not_found` when unset. */
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { getAt, parsePath } from '../../tree/path.js';
import type { Config } from '../../core/config.js';
import type { CommandContext } from '../context.js';
import { loadSnapshot, warnIfRevealing } from '../context.js';
import { renderValue } from '../render.js';

/** Parses a key argument; a malformed key is `invalid_parameters`, a prototype key `forbidden_key`. */
export function keySegments(key: string): string[] {
  try {
    return parsePath(key, 'cli');
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError({ op: 'cli', code: err.code, message: err.detail, location: { key } });
    throw err;
  }
}

/** The value at `key` in the (redacted) tree, or `key_not_found`. */
export function valueAt(tree: Record<string, unknown>, key: string): unknown {
  const value = getAt(tree, keySegments(key));
  if (value === undefined) {
    throw new ConfigError({ op: 'cli', code: ErrorCode.KeyNotFound, message: `no value at "${key}"`, location: { key } });
  }
  return value;
}

/**
 * The key argument, the loaded snapshot and the value there (redacted unless `--show-secrets`),
 * for `get` and `explain`. The key is checked before the load, so a malformed one fails fast.
 */
export async function lookupKey(ctx: CommandContext): Promise<{ key: string; config: Config<Record<string, unknown>>; value: unknown }> {
  const key = ctx.args[0] ?? '';
  keySegments(key);
  const reveal = warnIfRevealing(ctx);
  const config = await loadSnapshot(ctx);
  return { key, config, value: valueAt(config.toObject({ redact: !reveal }), key) };
}

/** Runs `get`. */
export async function runGet(ctx: CommandContext): Promise<number> {
  const { value } = await lookupKey(ctx);
  if (ctx.global.json) ctx.io.out(`${JSON.stringify(value)}\n`);
  else if (value !== null && typeof value === 'object') ctx.io.out(renderValue(value, 'yaml'));
  else ctx.io.out(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  return 0;
}
