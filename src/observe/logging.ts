/**
 * Logger type (pino-compatible) and the silent default.
 */

/** Any object with pino-style methods: `logger.info({ key: 'x' }, 'message')`. */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

const SILENT: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

/** A logger that drops everything (the default). */
export function silentLogger(): Logger {
  return SILENT;
}
