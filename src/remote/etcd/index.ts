/**
 * `confstack/etcd`: etcdProvider, configuration from etcd v3 in `keys` or `document` mode, with a
 * watch that resumes from the last seen revision and resyncs after compaction or a revision that
 * goes down (RELIABILITY promise 6, rows R1–R5, R9, R10, R12).
 *
 * The parts: ./options.js (options, checks, settings), ./connection.js (session, bounded reads,
 * failure names), ./layer.js (key/document mapping), ./subscription.js (watch and resync),
 * ./client.js (the only module that touches etcd3). This file puts them together.
 */
import { defineProvider, type Layer, type LoadContext, type Provider } from '../../providers/provider.js';
import { EtcdConnection } from './connection.js';
import { toLayer } from './layer.js';
import { resolveOptions, type EtcdProviderOptions, type EtcdWatchEvent } from './options.js';
import { EtcdSubscription } from './subscription.js';

export type { EtcdFailure, Pem } from './client.js';
export type { EtcdProviderOptions, EtcdWatchEvent } from './options.js';

/**
 * Configuration from etcd v3.
 *
 * - `keys` mode: every key under `prefix` is a key path (`/app/server/port` → `server.port`).
 *   Values are JSON where they parse as JSON (`8080`, `true`, `{"a":1}`, `[1,2]`), else the raw
 *   string. Key segments always make objects (store lists as one JSON value). Integers beyond 2^53
 *   stay exact strings. Each leaf's origin is `<etcd key>@<mod_revision>`.
 * - `document` mode: one key (`key`, default `prefix`) holds a YAML, JSON or TOML document; an
 *   absent key is an empty layer.
 *
 * The factory does not connect: the first `load`, `watch` or `healthCheck` does. Give every member
 * of the cluster in `endpoints`: a read that fails on one member (down, frozen, without a leader)
 * is tried on the next, and a member that failed is skipped for a while. Every call is bounded by
 * `dialTimeoutMs` (no answer at all) and `loadTimeoutMs` (a read once connected).
 * `watch` resumes from the last revision it saw after a disconnect and tells the subscriber at once
 * (so the loader reads the current state); after compaction past that revision, or when the
 * server's revision goes down (a restore), it re-reads, calls `onChange` and watches again from the
 * new revision. A watch stream that goes quiet is asked for progress each second and abandoned
 * for another member after 2 s more without an answer.
 *
 * @throws ConfigError invalid_parameters (from the factory, for bad options). `load` throws
 *   provider_unavailable with `context.reason`: `unreachable` or `no_leader` (retryable), `tls`,
 *   `auth` or `permission` (not retryable); remote_load_timeout (`timeout`, retryable);
 *   forbidden_key, limit_exceeded, parse_failed, duplicate_key, invalid_config.
 * @example
 * const etcd = etcdProvider({ endpoints: ['http://10.0.0.1:2379', 'http://10.0.0.2:2379', 'http://10.0.0.3:2379'], prefix: '/myapp' })
 * const config = await loadConfig({ sources: [envProvider(), etcd, fileProvider({ path: 'config.yaml' })] })
 */
export function etcdProvider(options: EtcdProviderOptions): Provider {
  const settings = resolveOptions(options);
  const connection = new EtcdConnection(settings);
  const subscriptions = new Set<EtcdSubscription>();
  let lastLoadedRevision: bigint | undefined;

  const emit = (event: EtcdWatchEvent): void => {
    try {
      settings.onEvent?.(event);
    } catch {
      // A listener's failure must not break the watch.
    }
  };

  const load = (ctx: LoadContext): Promise<Layer> =>
    connection.load(ctx, (res, c) => {
      const revision = BigInt(res.revision);
      if (lastLoadedRevision !== undefined && revision < lastLoadedRevision) {
        emit({ type: 'resync', reason: 'revision_decreased', revision: res.revision });
      }
      lastLoadedRevision = revision;
      return toLayer(settings, res, c);
    });

  const watch = (onChange: () => void): (() => void) => {
    if (connection.closed) return () => undefined;
    const sub = new EtcdSubscription(connection, onChange, emit, lastLoadedRevision);
    subscriptions.add(sub);
    sub.begin();
    return () => {
      subscriptions.delete(sub);
      sub.stop();
    };
  };

  const close = async (): Promise<void> => {
    for (const sub of subscriptions) sub.stop();
    subscriptions.clear();
    await connection.close();
  };

  return defineProvider({ name: settings.name, type: 'etcd', load, watch, healthCheck: () => connection.healthCheck(), close });
}
