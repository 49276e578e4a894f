/**
 * The format table: extension -> format name, and name -> parser, loaded on first use. Every
 * parser module is imported only when a file of that kind is first parsed: YAML (js-yaml, and
 * `yaml` for positions) and TOML (smol-toml) for their dependencies (CLI/serverless cold start:
 * see ARCHITECTURE.md "Chosen dependencies"), JSON and .env (our own, ~18 KB) because compiling
 * them would add ~0.4 ms to every `import('confstack')` that reads no such file.
 */
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import type { Format, FormatName, ParseContext, Parsed } from './format.js';
import { MapPositions } from './positions.js';

/** Every built-in format name. */
export const FORMAT_NAMES: readonly FormatName[] = Object.freeze(['yaml', 'json', 'toml', 'env'] as const);

const BY_EXTENSION: Readonly<Record<string, FormatName>> = Object.freeze({
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  '.toml': 'toml',
  '.env': 'env',
});

/** True for a built-in format name. */
export function isFormatName(value: unknown): value is FormatName {
  return typeof value === 'string' && (FORMAT_NAMES as readonly string[]).includes(value);
}

/**
 * The format for a file path by its extension (case-insensitive): `.yaml .yml .json .toml .env`,
 * and a file named exactly `.env` (also `.env.local`-style names are not matched: their last
 * extension is not `.env`). Undefined when unknown; the caller raises `unsupported_format`.
 */
export function formatForPath(path: string): FormatName | undefined {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  if (base === '.env') return 'env';
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const ext = base.slice(dot);
  return Object.prototype.hasOwnProperty.call(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}

// Kept once loaded: under loader hooks (tsx, vitest) every `import()` is a round trip, even cached.
let yamlFormat: Format | undefined;
let tomlFormat: Format | undefined;
let jsonFormat: Format | undefined;
let dotenvFormat: Format | undefined;

/**
 * The parser for a built-in format, importing its module on first use.
 * @throws ConfigError unsupported_format for an unknown name
 */
export async function loadFormat(name: FormatName): Promise<Format> {
  switch (name) {
    case 'json':
      return (jsonFormat ??= (await import('./json.js')).jsonFormat);
    case 'env':
      return (dotenvFormat ??= (await import('./dotenv.js')).dotenvFormat);
    case 'yaml':
      return (yamlFormat ??= (await import('./yaml.js')).yamlFormat);
    case 'toml':
      return (tomlFormat ??= (await import('./toml.js')).tomlFormat);
    default:
      throw new ConfigError({
        op: 'format',
        code: ErrorCode.UnsupportedFormat,
        message: `unknown format "${String(name)}" (expected one of ${FORMAT_NAMES.join(', ')})`,
      });
  }
}

/**
 * Parses one document the way every source does. A document with no content (zero bytes, or only
 * spaces, tabs and line breaks) is an empty mapping whatever its format, JSON included (whose
 * grammar has no empty document), so an emptied file reads the same as `.yaml`, `.toml`, `.env`
 * or `.json`. A document of comments only is empty in the formats that have comments.
 * @throws ConfigError what `format.parse` throws
 */
export function parseDocument(format: Format, text: string, ctx: ParseContext): Parsed {
  if (BLANK.test(text)) return { values: {}, positions: new MapPositions(new Map()) };
  return format.parse(text, ctx);
}

const BLANK = /^[ \t\r\n]*$/;
