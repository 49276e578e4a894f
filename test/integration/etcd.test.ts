/**
 * etcdProvider inside the real pipeline against a real etcd: loadConfig (merge, origins,
 * interpolation), compositeProvider fallback during an outage, and watchConfig (live reload through
 * a kill/restart, last good snapshot kept meanwhile, a fleet converging after one put).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { etcdProvider } from '../../src/remote/etcd/index.js';
import { loadConfig } from '../../src/presets/framework/api.js';
import { compositeProvider } from '../../src/providers/composite.js';
import { defaultsProvider } from '../../src/providers/memory.js';
import { type LiveConfig } from '../../src/core/watch.js';
import { watchConfig } from '../../src/presets/framework/api.js';
import { freePort, startEtcd, type EtcdServer } from '../support/etcd-server.js';

let etcd: EtcdServer;
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

const waitUntil = (cond: () => boolean, timeout = 15_000): Promise<void> =>
  vi.waitFor(
    () => {
      if (!cond()) throw new Error('condition not met yet');
    },
    { timeout, interval: 25 },
  );

describe('etcdProvider in loadConfig', () => {
  it('merges over lower layers, interpolates, and explains values by etcd key@revision', async () => {
    const rev = await etcd.put('/int1/server/port', '8080');
    await etcd.put('/int1/server/url', 'http://${APP_HOST:-localhost}:8080');
    const etcdSource = etcdProvider({ endpoints: [etcd.endpoint], prefix: '/int1' });
    try {
      const config = await loadConfig({
        sources: [etcdSource, defaultsProvider({ server: { port: 1, host: 'default-host' } })],
        schema: false,
        env: { APP_HOST: 'svc' },
      });
      expect(config.get('server.port')).toBe(8080);
      expect(config.get('server.host')).toBe('default-host');
      expect(config.get('server.url')).toBe('http://svc:8080');
      expect(config.explain('server.port')).toMatchObject({ type: 'etcd', location: `/int1/server/port@${rev}` });
    } finally {
      await etcdSource.close?.();
    }
  });

  it('is skipped under compositeProvider fallback when etcd is unreachable', async () => {
    const port = await freePort();
    const down = etcdProvider({ endpoints: [`http://127.0.0.1:${port}`], prefix: '/app', dialTimeoutMs: 500 });
    try {
      const config = await loadConfig({
        sources: [compositeProvider([down, defaultsProvider({ server: { port: 7 } })], { fallback: true })],
        schema: false,
      });
      expect(config.get('server.port')).toBe(7);
      const skipped = config.sources().flatMap((s) => [s, ...((s as { sources?: typeof s[] }).sources ?? [])]);
      expect(JSON.stringify(skipped)).toContain('provider_unavailable');
    } finally {
      await down.close?.();
    }
  });
});

describe('etcdProvider in watchConfig', () => {
  it('applies etcd changes, keeps the last good snapshot through an outage, and catches up after it', async () => {
    await etcd.put('/live/server/port', '8080');
    const live: LiveConfig<unknown> = await watchConfig<unknown>({
      sources: [etcdProvider({ endpoints: [etcd.endpoint], prefix: '/live', dialTimeoutMs: 1_000, loadTimeoutMs: 1_000 })],
      schema: false,
      debounceMs: 20,
    });
    try {
      const changes: string[][] = [];
      live.on('change', (_next, _prev, keys) => changes.push(keys));
      expect(live.current().get('server.port')).toBe(8080);
      await etcd.put('/live/server/port', '8081');
      await waitUntil(() => live.current().get('server.port') === 8081);
      expect(changes.at(-1)).toEqual(['server.port']);

      await etcd.kill();
      await new Promise((r) => setTimeout(r, 300));
      expect(live.current().get('server.port')).toBe(8081);
      await etcd.restart();
      await etcd.put('/live/server/port', '9000');
      await etcd.put('/live/server/host', '"h"');
      await waitUntil(() => live.current().get('server.port') === 9000 && live.current().get('server.host') === 'h');
    } finally {
      await live.close();
    }
  });

  it('converges a fleet of 20 live configs after one put', async () => {
    await etcd.put('/fleet/version', '1');
    const fleet = await Promise.all(
      Array.from({ length: 20 }, () =>
        watchConfig<unknown>({ sources: [etcdProvider({ endpoints: [etcd.endpoint], prefix: '/fleet' })], schema: false, debounceMs: 20 }),
      ),
    );
    try {
      expect(fleet.every((l) => l.current().get('version') === 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 200)); // let every watch register
      await etcd.put('/fleet/version', '2');
      await waitUntil(() => fleet.every((l) => l.current().get('version') === 2));
    } finally {
      await Promise.all(fleet.map((l) => l.close()));
    }
  });
});
