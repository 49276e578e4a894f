/**
 * watchPaths(): "tell me when any of these files may have changed", robust to how files really
 * change on disk. Used by fileProvider.watch; knows nothing of formats or config.
 *
 * Why it watches directories, not files:
 * - Editors save atomically (write a temp file, rename it over the original). A watch on the old
 *   inode goes quiet after the first save; the directory sees every rename.
 * - Kubernetes ConfigMap/Secret volumes expose `cfg.yaml -> ..data/cfg.yaml` and update by
 *   swapping the `..data` symlink; `cfg.yaml` itself never gets an event.
 * - A file (or its directory) that does not exist yet cannot be watched at all.
 *
 * So every event in a watched directory triggers a re-check of each path's fingerprint
 * (realpath + dev/ino + size + mtime/ctime + mode, plus a content hash for files up to 1 MiB) and
 * onChange fires only when a fingerprint changed. Watched directories are re-resolved on every
 * event: the nearest existing ancestor of a missing directory, the directory holding the real
 * file behind a symlink, and each directory holding a symlink on the way (git-sync style
 * retargets), replacing watchers whose directory was removed or recreated.
 *
 * Built on `fs.watch` (inotify on Linux) rather than chokidar: the directory-plus-fingerprint
 * approach needs no more than fs.watch gives, keeps the core free of a dependency, and is what
 * the tests exercise. When fs.watch cannot be used (ENOSPC: inotify watch limit; EMFILE: too many
 * open files; EPERM/EACCES on the directory; or any other failure), it falls back to polling the
 * fingerprints every `pollIntervalMs` and reports the degradation once through `onError`.
 */
import type { FSWatcher } from 'node:fs';
import { fs } from '../foundation/node-fs.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError, ErrorCode } from '../foundation/errors.js';

/** Options for watchPaths. */
export interface WatchPathsOptions {
  /** Interval of the polling fallback, in ms. Default 1000. */
  pollIntervalMs?: number;
  /** Poll from the start instead of using fs.watch (network file systems, tests). Default false. */
  poll?: boolean;
  /** Keep the process alive while watching (as fs.watch does by default). Default true. */
  persistent?: boolean;
  /**
   * Called (at most once) when native watching fails and polling takes over, with a
   * `provider_unavailable` ConfigError (op `watch`) whose cause is the fs error (e.g. ENOSPC).
   */
  onError?: (err: ConfigError) => void;
}

/** Files up to this size get a content hash in their fingerprint (catches same-tick rewrites). */
const HASH_MAX_BYTES = 1024 * 1024;
/** Bound on symlink hops followed when collecting directories to watch. */
const MAX_LINK_HOPS = 16;
/** Errors that mean "native watching is not available here": switch to polling. */
const FALLBACK_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE', 'EPERM', 'EACCES', 'ENOSYS', 'EINVAL', 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM']);

interface Fingerprint {
  stat: StatPrint;
  hash: string;
}

interface DirWatch {
  watcher: FSWatcher;
  /** dev:ino of the directory when the watch was opened; a recreated directory has a new one. */
  id: string;
}

/**
 * Calls `onChange` whenever any of `paths` may have changed: its content, its existence, its
 * permissions, or what it resolves to through symlinks. Paths need not exist. Returns an
 * unsubscribe function that closes every watcher and timer (idempotent).
 *
 * When to use: building a provider's `watch`. Gotchas: onChange carries no data and may fire for
 * a change that turns out not to matter (a touch); consumers re-read and compare. Events are not
 * debounced here (watchConfig debounces).
 *
 * @example
 * const stop = watchPaths(['/etc/app/config.yaml'], () => console.log('maybe changed'));
 * stop();
 */
export function watchPaths(paths: string[], onChange: () => void, opts: WatchPathsOptions = {}): () => void {
  const watch = new PathWatch(paths, onChange, opts);
  return () => watch.close();
}

type WatchEvent = { dir: string; name: string | null; type: string };

/** The state of one watchPaths call: its directory watchers (or poll timer) and fingerprints. */
class PathWatch {
  readonly #files: string[];
  readonly #onChange: () => void;
  readonly #opts: WatchPathsOptions;
  readonly #pollIntervalMs: number;
  readonly #persistent: boolean;
  readonly #watchers = new Map<string, DirWatch>();
  readonly #prints = new Map<string, Fingerprint>();
  #closed = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #watcherErrors = 0;

  constructor(paths: string[], onChange: () => void, opts: WatchPathsOptions) {
    this.#files = [...new Set(paths.map((p) => path.resolve(p)))];
    this.#onChange = onChange;
    this.#opts = opts;
    this.#pollIntervalMs = Math.max(10, opts.pollIntervalMs ?? 1000);
    this.#persistent = opts.persistent ?? true;
    // Watch first, then fingerprint: a change in between is then either seen by a watcher or
    // already in the baseline.
    if (opts.poll) this.#startPolling(undefined);
    else this.#reconcile();
    for (const f of this.#files) {
      const stat = statPrint(f);
      this.#prints.set(f, { stat, hash: hashOf(f, stat) });
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#watchers.values()) w.watcher.close();
    this.#watchers.clear();
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  #fire(): void {
    if (this.#closed) return;
    try {
      this.#onChange();
    } catch {
      // A throwing subscriber must not break watching; watchConfig never throws here.
    }
  }

  #startPolling(cause: unknown): void {
    if (this.#closed || this.#pollTimer) return;
    for (const w of this.#watchers.values()) w.watcher.close();
    this.#watchers.clear();
    this.#pollTimer = setInterval(() => this.#check(undefined), this.#pollIntervalMs);
    if (!this.#persistent) this.#pollTimer.unref();
    if (cause !== undefined && this.#opts.onError) this.#reportPolling(cause, this.#opts.onError);
  }

  #reportPolling(cause: unknown, onError: (err: ConfigError) => void): void {
    const code = (cause as { code?: unknown })?.code;
    const err = new ConfigError({
      op: 'watch',
      code: ErrorCode.ProviderUnavailable,
      message: `native file watching unavailable${typeof code === 'string' ? ` (${code})` : ''}; polling every ${this.#pollIntervalMs} ms` +
        (code === 'ENOSPC' ? '; raise fs.inotify.max_user_watches' : ''),
      cause,
      context: { mode: 'poll', pollIntervalMs: this.#pollIntervalMs },
      ...(this.#files[0] !== undefined ? { location: { file: this.#files[0] } } : {}),
    });
    try {
      onError(err);
    } catch {
      // Reporting must not break the fallback.
    }
  }

  #openWatch(dir: string, id: string): 'ok' | 'gone' | 'failed' {
    let watcher: FSWatcher;
    try {
      watcher = fs.watch(dir, { persistent: this.#persistent }, (type, name) => this.#check({ dir, name: name ?? null, type }));
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return 'gone';
      this.#startPolling(err);
      return 'failed';
    }
    watcher.on('error', (err) => {
      // Linux reports a removed directory as a rename event; errors are rarer (EPERM on Windows,
      // a lost inotify queue). Drop this watcher and re-resolve; repeated failures mean polling.
      const current = this.#watchers.get(dir);
      if (current?.watcher === watcher) this.#watchers.delete(dir);
      watcher.close();
      if (++this.#watcherErrors > 3 || FALLBACK_CODES.has(String((err as { code?: unknown })?.code))) this.#startPolling(err);
      else this.#check(undefined);
    });
    this.#watchers.set(dir, { watcher, id });
    return 'ok';
  }

  /** Makes the set of watched directories match what the paths need now. */
  #reconcile(): void {
    for (let round = 0; round < 5 && !this.#closed && !this.#pollTimer; round++) {
      const wanted = new Map<string, string>();
      for (const f of this.#files) for (const d of dirsFor(f)) if (!wanted.has(d)) wanted.set(d, dirId(d));
      let stable = true;
      for (const [dir, w] of this.#watchers) {
        if (wanted.get(dir) !== w.id) {
          w.watcher.close();
          this.#watchers.delete(dir);
        }
      }
      for (const [dir, id] of wanted) {
        if (this.#watchers.has(dir) || id === '') continue;
        const r = this.#openWatch(dir, id);
        if (r === 'failed') return;
        if (r === 'gone') stable = false;
        // A directory may have appeared between resolving and watching: resolve again.
        else if (dirId(dir) !== id) stable = false;
      }
      if (stable && this.#files.every((f) => dirsFor(f).every((d) => this.#watchers.has(d)))) return;
    }
  }

  /** Re-reads fingerprints; `event` undefined means "compare everything" (poll, error). */
  #check(event: WatchEvent | undefined): void {
    if (this.#closed) return;
    // A content or attribute change ('change') of an entry none of our paths goes through (a
    // log file next to the config, say) cannot affect them: skip the stats. Anything else
    // ('rename': create, delete, move, symlink swap) may change what a path resolves to.
    if (event !== undefined && event.type === 'change' && event.name !== null) {
      const { dir, name } = event;
      if (!this.#files.some((f) => reachedThrough(dir, name, f, this.#prints.get(f)?.stat.real))) return;
    } else if (!this.#pollTimer) this.#reconcile();
    let changed = false;
    for (const f of this.#files) if (this.#refresh(f, event)) changed = true;
    if (changed) this.#fire();
  }

  /** Updates one file's fingerprint; true when it changed (not on its first reading). */
  #refresh(f: string, event: WatchEvent | undefined): boolean {
    const prev = this.#prints.get(f);
    const stat = statPrint(f);
    if (prev === undefined || stat.key !== prev.stat.key) {
      this.#prints.set(f, { stat, hash: hashOf(f, stat) });
      return prev !== undefined;
    }
    // Same stat, but the event names this file (or we are polling): two writes within one
    // timestamp tick with equal sizes look identical to stat, so compare content.
    if (event === undefined || event.name === null || namesFile(f, stat.real, event.dir, event.name)) {
      const hash = hashOf(f, stat);
      if (hash !== prev.hash) {
        this.#prints.set(f, { stat, hash });
        return true;
      }
    }
    return false;
  }
}

/** dev:ino of a directory, or '' when it is not an existing directory. */
function dirId(dir: string): string {
  try {
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    return st?.isDirectory() ? `${st.dev}:${st.ino}` : '';
  } catch {
    return '';
  }
}

/** The nearest ancestor-or-self of `dir` that exists as a directory. */
function nearestExistingDir(dir: string): string {
  let d = dir;
  for (;;) {
    if (dirId(d) !== '') return d;
    const parent = path.dirname(d);
    if (parent === d) return d;
    d = parent;
  }
}

/**
 * Directories whose events can signal a change to `file`: its (nearest existing) parent, the
 * parent of every symlink on the way to the real file, and the real file's directory.
 */
function dirsFor(file: string): string[] {
  const dirs = new Set<string>([nearestExistingDir(path.dirname(file))]);
  const queue = [file];
  for (let hops = 0; hops < MAX_LINK_HOPS && queue.length > 0; hops++) {
    const p = queue.shift()!;
    for (let a = p; ; ) {
      const parent = path.dirname(a);
      if (parent === a) break;
      let target: string | undefined;
      try {
        if (fs.lstatSync(a, { throwIfNoEntry: false })?.isSymbolicLink()) target = fs.readlinkSync(a);
      } catch {
        target = undefined;
      }
      if (target !== undefined) {
        dirs.add(nearestExistingDir(parent));
        // Follow the link with the rest of the path appended (`..data` + `/cfg.yaml`).
        queue.push(path.resolve(parent, target, path.relative(a, p)));
      }
      a = parent;
    }
  }
  try {
    dirs.add(path.dirname(fs.realpathSync(file)));
  } catch {
    // Missing or unreadable: the parent watch covers its appearance.
  }
  return [...dirs];
}

interface StatPrint {
  /** realpath + dev/ino + size + mtime/ctime + mode, or `!CODE` when stat fails (missing, EACCES…). */
  key: string;
  real?: string;
  size: number;
}

function statPrint(file: string): StatPrint {
  try {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st) return { key: '!ENOENT', size: -1 };
    const real = fs.realpathSync(file);
    return { key: `${real}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.mode}`, real, size: st.isFile() ? st.size : -1 };
  } catch (err) {
    return { key: `!${String((err as { code?: unknown })?.code ?? 'ERR')}`, size: -1 };
  }
}

/** Content hash for small regular files, '' otherwise (stat alone decides). */
function hashOf(file: string, st: StatPrint): string {
  if (st.size < 0 || st.size > HASH_MAX_BYTES) return '';
  try {
    return crypto().createHash('sha1').update(fs.readFileSync(file)).digest('base64');
  } catch (err) {
    return `!${String((err as { code?: unknown })?.code ?? 'ERR')}`;
  }
}

/** True if `file` (or the real file behind it) is reached through the entry `name` of `dir`. */
function reachedThrough(dir: string, name: string, file: string, real: string | undefined): boolean {
  return firstEntry(dir, file) === name || (real !== undefined && firstEntry(dir, real) === name);
}

/** The entry of `dir` on the way to `target` (`a` for dir/a/b/c), or undefined if outside dir. */
function firstEntry(dir: string, target: string): string | undefined {
  const rel = path.relative(dir, target);
  // Not startsWith('..'): Kubernetes entries such as `..data` are inside dir.
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  const cut = rel.indexOf(path.sep);
  return cut < 0 ? rel : rel.slice(0, cut);
}

/** True if an event for `name` in `dir` is about `file` itself or the real file behind it. */
function namesFile(file: string, real: string | undefined, dir: string, name: string): boolean {
  if (path.dirname(file) === dir && path.basename(file) === name) return true;
  return real !== undefined && path.dirname(real) === dir && path.basename(real) === name;
}

// node:crypto costs ~4.5 ms to load, a sixth of importing confstack: load it with the first watcher.
let cryptoModule: typeof import('node:crypto') | undefined;
function crypto(): typeof import('node:crypto') {
  return (cryptoModule ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}
