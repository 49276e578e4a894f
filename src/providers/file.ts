/**
 * fileProvider: finds, reads and decodes config files, then hands the text to a format parser.
 * Owns file I/O and the search/profile rules; knows nothing of syntax (src/formats does).
 */
import { promises as fs } from 'node:fs';
import { extname, join } from 'node:path';
import { ConfigError, ErrorCode } from '../errors.js';
import { decodeText } from '../formats/decode.js';
import type { Format, FormatName } from '../formats/format.js';
import { formatForPath, loadFormat } from '../formats/index.js';
import { DEFAULT_LIMITS, type Limits } from '../tree/limits.js';
import { createMergeState, mergeLayerInto, withOriginRefs } from '../tree/merge.js';
import { watchPaths } from './file-watch.js';
import { defineProvider, type Layer, type Provider } from './provider.js';

export interface FileProviderOptions {
  /** Load exactly this file. Otherwise `configName` is searched in `configPaths`. */
  path?: string;
  /** Base name searched for. Default `config`. */
  configName?: string;
  /** Directories searched in order; the first match wins. Default `['./config', '.']`. */
  configPaths?: string[];
  /** Parser: by extension (`auto`, the default), a format name, or your own Format. */
  format?: FormatName | 'auto' | Format;
  /** Also layers `<configName>.<profile>.<ext>` over the base file. */
  profile?: string;
  /** A missing file is an empty layer instead of `file_not_found`. Default false. */
  optional?: boolean;
  limits?: Partial<Limits>;
  /** Instance name; default `file:<path or configName>`. */
  name?: string;
}

const SEARCH_EXTENSIONS = ['.yaml', '.yml', '.json', '.toml'] as const;

interface Found {
  path: string;
  format: Format;
}

/**
 * A config file source. With `path` it loads that file; otherwise it searches `configPaths` for
 * `configName.{yaml,yml,json,toml}` and, with `profile`, layers `configName.<profile>.<ext>` over it.
 * @throws ConfigError file_not_found (lists every path searched), file_access_error,
 *   unsupported_format, limit_exceeded, parse_failed, duplicate_key, forbidden_key
 * @example fileProvider({ configName: 'app', configPaths: ['./config'], profile: 'production' })
 */
export function fileProvider(options: FileProviderOptions = {}): Provider {
  const configName = options.configName ?? 'config';
  const configPaths = options.configPaths ?? ['./config', '.'];
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const name = options.name ?? `file:${options.path ?? configName}`;
  const explicit = typeof options.format === 'object' ? options.format : undefined;
  const formatName = typeof options.format === 'string' && options.format !== 'auto' ? options.format : undefined;

  const extensions = (): readonly string[] =>
    explicit ? explicit.extensions : formatName ? SEARCH_EXTENSIONS.filter((e) => formatForPath(`x${e}`) === formatName) : SEARCH_EXTENSIONS;
  const candidates = (base: string): string[] => configPaths.flatMap((dir) => extensions().map((ext) => join(dir, `${base}${ext}`)));
  const watched = (): string[] =>
    options.path ? [options.path] : [...candidates(configName), ...(options.profile ? candidates(`${configName}.${options.profile}`) : [])];

  async function formatFor(path: string): Promise<Format> {
    if (explicit) return explicit;
    const fname = formatName ?? formatForPath(path);
    if (!fname) {
      throw new ConfigError({
        op: 'load',
        code: ErrorCode.UnsupportedFormat,
        message: `cannot tell the format of "${path}" from its extension "${extname(path)}"`,
        provider: name,
        location: { file: path },
      });
    }
    return loadFormat(fname);
  }

  async function firstExisting(paths: string[]): Promise<string | undefined> {
    for (const p of paths) {
      if (await statFile(p, name, limits, true)) return p;
    }
    return undefined;
  }

  /** Reads a file whose stat (existence, kind, size) was just checked: one more I/O round trip only. */
  async function readLayer(found: Found): Promise<Layer> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(found.path);
    } catch (err) {
      throw accessError(err, found.path, name);
    }
    const text = decodeText(bytes, found.path);
    const parsed = found.format.parse(text, { source: found.path, limits, provider: name });
    return {
      values: parsed.values,
      origin: { provider: name, type: 'file', location: found.path },
      positions: parsed.positions,
      interpolate: true,
      owned: true,
    };
  }

  return defineProvider({
    name,
    type: 'file',
    async load(ctx) {
      if (options.path !== undefined) {
        const exists = await statFile(options.path, name, limits, true);
        if (!exists) {
          if (options.optional) return { values: {} };
          throw notFound(name, [options.path]);
        }
        return readLayer({ path: options.path, format: await formatFor(options.path) });
      }
      const searched = candidates(configName);
      const base = await firstExisting(searched);
      const profilePaths = options.profile ? candidates(`${configName}.${options.profile}`) : [];
      const overlay = options.profile ? await firstExisting(profilePaths) : undefined;
      if (!base && !overlay) {
        if (options.optional) return { values: {} };
        throw notFound(name, [...searched, ...profilePaths]);
      }
      const layers: Layer[] = [];
      if (base) layers.push(await readLayer({ path: base, format: await formatFor(base) }));
      if (overlay) layers.push(await readLayer({ path: overlay, format: await formatFor(overlay) }));
      if (layers.length === 1) return layers[0]!;
      // Base and profile overlay become one layer; origins keep naming the file each value came from.
      const state = createMergeState();
      for (const layer of layers) mergeLayerInto(state, { ...layer, interpolate: false }, { limits, provider: name });
      return withOriginRefs({ values: state.values, interpolate: true, owned: true }, state.origins);
    },
    watch(onChange) {
      return watchPaths(watched(), onChange);
    },
    async healthCheck() {
      const paths = watched();
      for (const p of paths) {
        try {
          await fs.access(p);
          return { ok: true };
        } catch {
          /* try the next candidate */
        }
      }
      return options.optional ? { ok: true, message: 'no file (optional)' } : { ok: false, message: 'config file not found' };
    },
  });
}

/** Checks a path is a readable regular file within the size limit; false if it does not exist (when `probe`). */
async function statFile(path: string, provider: string, limits: Limits, probe: boolean): Promise<boolean> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
      if (probe) return false;
      throw notFound(provider, [path]);
    }
    throw accessError(err, path, provider);
  }
  if (st.isDirectory()) {
    throw new ConfigError({
      op: 'load',
      code: ErrorCode.FileAccessError,
      message: `"${path}" is a directory, not a file`,
      provider,
      location: { file: path },
      context: { reason: 'directory' },
    });
  }
  if (st.size > limits.maxDocumentBytes) {
    throw new ConfigError({
      op: 'load',
      code: ErrorCode.LimitExceeded,
      message: `file is ${st.size} bytes, over the ${limits.maxDocumentBytes}-byte limit`,
      provider,
      location: { file: path },
      context: { limit: 'maxDocumentBytes', size: st.size },
    });
  }
  return true;
}

function notFound(provider: string, searched: string[]): ConfigError {
  return new ConfigError({
    op: 'load',
    code: ErrorCode.FileNotFound,
    message: searched.length === 1 ? `config file not found` : `no config file found; searched ${searched.join(', ')}`,
    provider,
    ...(searched.length === 1 ? { location: { file: searched[0]! } } : {}),
    context: { searched },
  });
}

function accessError(err: unknown, path: string, provider: string): ConfigError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return notFound(provider, [path]); // removed between stat and read
  return new ConfigError({
    op: 'load',
    code: ErrorCode.FileAccessError,
    message: `cannot read file${code ? ` (${code})` : ''}`,
    provider,
    location: { file: path },
    cause: err,
    context: { reason: code === 'EACCES' || code === 'EPERM' ? 'permission' : (code ?? 'io') },
    retryable: code === 'EMFILE' || code === 'EBUSY' || code === 'EAGAIN',
  });
}
