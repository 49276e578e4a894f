/**
 * In-memory sources: programmatic defaults and values. The merge copies and checks them
 * (forbidden keys, cycles, exotic values), so these providers only hand them over.
 */
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { defineProvider, isPlainRecord, type Provider } from './provider.js';

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v !== 'object') return typeof v;
  return (Object.getPrototypeOf(v) as { constructor?: { name?: string } }).constructor?.name ?? 'an object';
}

/** The root must be a plain object: a Map or class instance there would only fail at load, unclearly. */
function checkRecord(values: unknown, op: string): Record<string, unknown> {
  if (values === undefined) return {};
  if (!isPlainRecord(values)) {
    throw new ConfigError({ op, code: ErrorCode.InvalidParameters, message: `values must be a plain object, not ${kindOf(values)}` });
  }
  return values;
}

/**
 * The lowest layer: values used when no other source sets a key.
 * @example loadConfig({ sources: [envProvider(), defaultsProvider({ server: { port: 8080 } })] })
 */
export function defaultsProvider(values: Record<string, unknown>): Provider {
  const v = checkRecord(values, 'defaultsProvider');
  return defineProvider({
    name: 'defaults',
    type: 'defaults',
    local: true,
    load: () => ({ values: v, origin: { provider: 'defaults', type: 'defaults' } }),
  });
}

/** Values held in memory (tests, programmatic overrides such as CLI `--set`). */
export function memoryProvider(values: Record<string, unknown>, name = 'memory'): Provider {
  const v = checkRecord(values, 'memoryProvider');
  return defineProvider({
    name,
    type: 'memory',
    local: true,
    load: () => ({ values: v, origin: { provider: name, type: 'memory' } }),
  });
}
