/**
 * fileProvider: finds, reads and decodes config files, then hands the text to a format parser.
 * Owns file I/O and the search/profile rules; knows nothing of syntax (src/formats does).
 */
import { fs } from '../foundation/node-fs.js';
import { extname, join } from 'node:path';
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { decodeText } from '../formats/decode.js';
import type { Format, FormatName } from '../formats/format.js';
import { FORMAT_NAMES, formatForPath, isFormatName, loadFormat, parseDocument } from '../formats/index.js';
import { DEFAULT_LIMITS, type Limits } from '../tree/limits.js';
import { withLayerParts } from '../tree/layer-values.js';
import { createMergeState, markOwned, mergeLayerInto, withOriginRefs } from '../tree/merge.js';
import { watchPaths } from './file-watch.js';
import { defineProvider, type Layer, type LoadContext, type Provider } from './provider.js';

export interface FileProviderOptions {
  /** Load exactly this file. Otherwise `configName` is searched in `configPaths`. */
  path?: string;
  /** Base name searched for. Default `config`. */
  configName?: string;
  /**
   * Directories searched in order; the first match wins. Default `['./config', '.']`. Given
   * explicitly, each must exist (even with `optional`): a typo is `file_not_found` naming the
   * directory, never an empty config. The default search may miss directories.
   */
  configPaths?: string[];
  /** Parser: by extension (`auto`, the default), a format name, or your own Format. */
  format?: FormatName | 'auto' | Format;
  /** Also layers `<configName>.<profile>.<ext>` over the base file. */
  profile?: string;
  /** A missing file is an empty layer instead of `file_not_found`. Default false. */
  optional?: boolean;
  /** Overrides of the loader's limits (`loadConfig({ limits })`) for this source. */
  limits?: Partial<Limits>;
  /** Instance name; default `file:<path or configName>`. */
  name?: string;
}

const SEARCH_EXTENSIONS = ['.yaml', '.yml', '.json', '.toml'] as const;
/** With a named format, the search tries every extension of that format (`.env` too). */
const FORMAT_EXTENSIONS = [...SEARCH_EXTENSIONS, '.env'] as const;

interface Found {
  path: string;
  bytes: Buffer;
}

/**
 * A config file source. With `path` it loads that file; otherwise it searches `configPaths` for
 * `configName.{yaml,yml,json,toml}` and, with `profile`, layers `configName.<profile>.<ext>` over it.
 * @throws ConfigError file_not_found (lists every path searched), file_access_error,
 *   unsupported_format, limit_exceeded, parse_failed, duplicate_key, forbidden_key
 * @example fileProvider({ configName: 'app', configPaths: ['./config'], profile: 'production' })
 */
export function fileProvider(options: FileProviderOptions = {}): Provider {
  const files = new ConfigFiles(options);
  return defineProvider({
    name: files.name,
    type: 'file',
    local: true,
    load: (ctx) => files.load(ctx),
    watch: (onChange) => watchPaths(files.watched(), onChange),
    async healthCheck() {
      for (const p of files.watched()) {
        try {
          await fs.promises.access(p);
          return { ok: true };
        } catch {
          /* try the next candidate */
        }
      }
      return options.optional ? { ok: true, message: 'no file (optional)' } : { ok: false, message: 'config file not found' };
    },
  });
}

/** The files a fileProvider reads: where it looks, in which format, and how one becomes a Layer. */
class ConfigFiles {
  readonly name: string;
  readonly #options: FileProviderOptions;
  readonly #configName: string;
  readonly #configPaths: readonly string[];
  readonly #explicit: Format | undefined;
  readonly #formatName: FormatName | undefined;

  constructor(options: FileProviderOptions) {
    this.#options = options;
    this.#configName = options.configName ?? 'config';
    this.#configPaths = options.configPaths ?? ['./config', '.'];
    this.name = options.name ?? `file:${options.path ?? this.#configName}`;
    this.#explicit = typeof options.format === 'object' ? options.format : undefined;
    const formatName = typeof options.format === 'string' && options.format !== 'auto' ? options.format : undefined;
    if (formatName !== undefined && !isFormatName(formatName)) {
      // Else a search would try no extension at all and report a file_not_found that searched nothing.
      throw new ConfigError({
        op: 'fileProvider',
        code: ErrorCode.UnsupportedFormat,
        message: `unknown format "${String(formatName)}" (expected one of ${FORMAT_NAMES.join(', ')}, or auto)`,
        provider: this.name,
      });
    }
    this.#formatName = formatName;
  }

  /** Every path a change of which may change the config. */
  watched(): string[] {
    const { path, profile } = this.#options;
    return path ? [path] : [...this.#candidates(this.#configName), ...(profile ? this.#candidates(`${this.#configName}.${profile}`) : [])];
  }

  async load(ctx: LoadContext): Promise<Layer> {
    // The loader's limits, with this source's own overrides on top.
    const limits: Limits = this.#options.limits ? { ...(ctx.limits ?? DEFAULT_LIMITS), ...this.#options.limits } : (ctx.limits ?? DEFAULT_LIMITS);
    const { path, optional, profile } = this.#options;
    if (path !== undefined) {
      const bytes = readConfigFile(path, this.name, limits);
      if (!bytes) {
        if (optional) return { values: {} };
        throw notFound(this.name, [path]);
      }
      return this.#toLayer({ path, bytes }, limits);
    }
    if (this.#options.configPaths !== undefined) checkDirs(this.#options.configPaths, this.name);
    const searched = this.#candidates(this.#configName);
    const base = this.#readFirst(searched, limits);
    const profilePaths = profile ? this.#candidates(`${this.#configName}.${profile}`) : [];
    const overlay = profile ? this.#readFirst(profilePaths, limits) : undefined;
    if (!base && !overlay) {
      if (optional) return { values: {} };
      throw notFound(this.name, [...searched, ...profilePaths]);
    }
    const layers: Layer[] = [];
    if (base) layers.push(await this.#toLayer(base, limits));
    if (overlay) layers.push(await this.#toLayer(overlay, limits));
    return layers.length === 1 ? layers[0]! : this.#overlaid(layers, limits);
  }

  /** Base and profile overlay as one layer; origins keep naming the file each value came from. */
  #overlaid(layers: readonly Layer[], limits: Limits): Layer {
    const state = createMergeState();
    for (const layer of layers) mergeLayerInto(state, { ...layer, interpolate: false }, { limits, provider: this.name });
    const parts = layers.map((layer) => ({ name: this.name, type: 'file', layer })).reverse();
    return withLayerParts(withOriginRefs({ values: markOwned(state.values), interpolate: true, owned: true }, state.origins), parts);
  }

  #candidates(base: string): string[] {
    const explicit = this.#explicit;
    const formatName = this.#formatName;
    const extensions = explicit ? explicit.extensions : formatName ? FORMAT_EXTENSIONS.filter((e) => formatForPath(`x${e}`) === formatName) : SEARCH_EXTENSIONS;
    return this.#configPaths.flatMap((dir) => extensions.map((ext) => join(dir, `${base}${ext}`)));
  }

  /** The first of `paths` that exists, read (undefined if none exists). */
  #readFirst(paths: string[], limits: Limits): Found | undefined {
    for (const path of paths) {
      const bytes = readConfigFile(path, this.name, limits);
      if (bytes) return { path, bytes };
    }
    return undefined;
  }

  async #formatFor(path: string): Promise<Format> {
    if (this.#explicit) return this.#explicit;
    const fname = this.#formatName ?? formatForPath(path);
    if (!fname) {
      throw new ConfigError({
        op: 'load',
        code: ErrorCode.UnsupportedFormat,
        message: `cannot tell the format of "${path}" from its extension "${extname(path)}"`,
        provider: this.name,
        location: { file: path },
      });
    }
    return loadFormat(fname);
  }

  async #toLayer(found: Found, limits: Limits): Promise<Layer> {
    const format = await this.#formatFor(found.path);
    const text = decodeText(found.bytes, found.path);
    const parsed = parseDocument(format, text, { source: found.path, limits, provider: this.name });
    return {
      // A built-in parser's tree is fresh and checked: the merge may adopt it. A custom Format's
      // may be data the format keeps, so it is copied.
      values: this.#explicit ? parsed.values : markOwned(parsed.values),
      origin: { provider: this.name, type: 'file', location: found.path },
      positions: parsed.positions,
      interpolate: true,
      owned: true,
    };
  }
}

/**
 * Reads a config file: undefined if it does not exist; the bytes of a regular file within the
 * size limit; otherwise a ConfigError. Synchronous, like the parse that follows: a config file
 * comes from the page cache in microseconds, while an async read waits on the thread pool several
 * times over (measured: half of a 3 KB load). One open, fstat, read, close: the checks apply to
 * the file actually read (no stat-then-open race), a FIFO cannot block the open (O_NONBLOCK), and
 * a file growing while read, or a device like /dev/zero, stops at the limit.
 */
function readConfigFile(path: string, provider: string, limits: Limits): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw accessError(err, path, provider);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'directory' : 'not a regular file';
      throw new ConfigError({
        op: 'load',
        code: ErrorCode.FileAccessError,
        message: st.isDirectory() ? `"${path}" is a directory, not a file` : `"${path}" is not a regular file`,
        provider,
        location: { file: path },
        context: { reason: kind },
      });
    }
    const max = limits.maxDocumentBytes;
    if (st.size > max) throw tooLarge(path, provider, max, st.size);
    // One byte more than fstat's size tells a file that grew since; keep reading then, to the limit.
    let buf = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > max) throw tooLarge(path, provider, max, length);
      if (length === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1));
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
    }
    return buf.subarray(0, length);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw accessError(err, path, provider);
  } finally {
    fs.closeSync(fd);
  }
}

/** Explicit search directories must exist: `configPaths: ['/typo']` is an error, not an empty config. */
function checkDirs(dirs: readonly string[], provider: string): void {
  for (const dir of dirs) {
    let isDir = false;
    try {
      isDir = fs.statSync(dir).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw accessError(err, dir, provider);
    }
    if (!isDir) {
      throw new ConfigError({
        op: 'load',
        code: ErrorCode.FileNotFound,
        message: `config path "${dir}" is not an existing directory (configPaths given explicitly must exist)`,
        provider,
        location: { file: dir },
        context: { searched: [...dirs] },
      });
    }
  }
}

function tooLarge(path: string, provider: string, max: number, size: number): ConfigError {
  return new ConfigError({
    op: 'load',
    code: ErrorCode.LimitExceeded,
    message: `file is ${size} bytes or more, over the ${max}-byte limit`,
    provider,
    location: { file: path },
    context: { limit: 'maxDocumentBytes', size },
  });
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
