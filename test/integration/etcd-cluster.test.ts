/**
 * etcdProvider and watchConfig against a real 3-member etcd cluster on loopback ports (issue 15):
 * a member killed (leader or follower), frozen (SIGSTOP) or two of them gone (quorum lost), TLS
 * with certificates made by openssl at test time, auth. Each fault scenario asserts properties
 * only: converged to the last committed write, never back in time, no duplicate apply.
 *
 * Seeds: ETCD_CAMPAIGN_SEEDS (default 2 per fault); the figures go to
 * `.reliability/etcd-cluster.json` for scripts/reliability-report.ts.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, formatConfigError } from '../../src/foundation/errors.js';
import { etcdProvider, type EtcdWatchEvent } from '../../src/remote/etcd/index.js';
import { HealthMonitor } from '../../src/observability/health.js';
import { watchConfig } from '../../src/core/watch.js';
import { runFault, type Fault, type RunResult } from '../etcd/campaign.js';
import { writeResult } from '../fuzz/harness.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-server.js';

const SEEDS = Number(process.env.ETCD_CAMPAIGN_SEEDS ?? 2);

const waitUntil = (cond: () => boolean | Promise<boolean>, timeout = 20_000): Promise<void> =>
  vi.waitFor(
    async () => {
      if (!(await cond())) throw new Error('condition not met yet');
    },
    { timeout, interval: 25 },
  );

async function loadError(p: ReturnType<typeof etcdProvider>): Promise<ConfigError> {
  try {
    await p.load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected load to fail');
}

describe('a 3-member cluster', () => {
  let cluster: EtcdCluster;
  const results: RunResult[] = [];
  beforeAll(async () => {
    cluster = await startEtcdCluster();
  }, 60_000);
  afterAll(async () => {
    if (results.length > 0) writeResult('etcd-cluster', { seeds: SEEDS, runs: results });
    await cluster?.stop();
  });

  const faults: Fault[] = ['leader-kill', 'follower-kill', 'frozen-watch-member', 'single-write-leader-kill'];
  it.each(faults)('%s: converges to the last write, never back in time, no duplicate (every seed)', async (fault) => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await runFault(cluster, fault, seed, { writes: 12 });
      results.push(r);
      expect({ seed, lost: r.lost, backInTime: r.backInTime, duplicates: r.duplicates }).toEqual({ seed, lost: 0, backInTime: 0, duplicates: 0 });
      expect(r.faultToApplyMs).toBeDefined();
    }
  }, 240_000);

  it('applies sparse single writes while a member is down, each without another write', async () => {
    const prefix = '/sparse';
    await cluster.put(`${prefix}/seq`, '0');
    const live = await watchConfig<unknown>({ sources: [etcdProvider({ endpoints: cluster.endpoints, prefix, dialTimeoutMs: 3_000 })], schema: false, debounceMs: 10 });
    const leader = await cluster.waitForLeader();
    const down = cluster.members[(leader + 1) % 3]!;
    try {
      await down.kill();
      for (let n = 1; n <= 6; n++) {
        await cluster.put(`${prefix}/seq`, String(n));
        // Nothing else is written until this one is applied: a lost change would hang here.
        await waitUntil(() => live.current().get('seq') === n);
      }
    } finally {
      await live.close();
      await down.restart();
    }
  }, 120_000);

  it('says when a quorum is lost and when it is back, keeps the last good config, and health recovers in one check', async () => {
    const prefix = '/quorum';
    await cluster.put(`${prefix}/seq`, '1');
    const provider = etcdProvider({ endpoints: cluster.endpoints, prefix, dialTimeoutMs: 3_000 });
    const monitor = new HealthMonitor();
    monitor.register(provider);
    const live = await watchConfig<unknown>({ sources: [provider], schema: false, debounceMs: 10, monitor });
    const unavailable: ConfigError[] = [];
    let available = 0;
    let rejects = 0;
    live.on('unavailable', (e) => unavailable.push(e));
    live.on('available', () => available++);
    live.on('reject', () => rejects++);
    const leader = await cluster.waitForLeader();
    const gone = [cluster.members[leader]!, cluster.members[(leader + 1) % 3]!];
    try {
      // The last write before the failure: it must be applied even though nothing follows it.
      await cluster.put(`${prefix}/seq`, '2');
      await Promise.all(gone.map((m) => m.kill()));
      // Nobody reloads or writes: the watch noticing its member lost the leader is enough.
      await waitUntil(() => unavailable.length === 1);
      // The first failed read may be one the survivor still forwarded to the dead leader (it learns
      // of the loss only after its election timeout): a timeout then, a missing leader afterwards.
      const cause = unavailable[0]!.cause as ConfigError;
      expect(cause.retryable).toBe(true);
      expect([cause.code, cause.context?.reason]).toSatisfy(
        ([code, reason]: unknown[]) =>
          (code === 'provider_unavailable' && (reason === 'no_leader' || reason === 'unreachable')) || (code === 'remote_load_timeout' && reason === 'timeout'),
      );
      // The last good config stays (2 if the watch delivered the write before the quorum went, else 1).
      expect([1, 2]).toContain(live.current().get('seq'));
      // The surviving member answers, without a leader: said as such, not as "unreachable".
      await waitUntil(async () => (await provider.healthCheck!()).message === 'provider_unavailable (no_leader)');
      const during = await monitor.checkAll();
      expect(during.status).not.toBe('healthy');
      expect(during.providers[provider.name]?.lastError).toContain('no_leader');

      await Promise.all(gone.map((m) => m.restart({ wait: false })));
      await cluster.waitForLeader();
      await waitUntil(() => available === 1);
      // The write made just before the failure is applied without another write.
      await waitUntil(() => live.current().get('seq') === 2);
      await cluster.put(`${prefix}/seq`, '3');
      await waitUntil(() => live.current().get('seq') === 3);
      expect((await monitor.checkAll()).status).toBe('healthy');
      expect({ unavailable: unavailable.length, available, rejects }).toEqual({ unavailable: 1, available: 1, rejects: 1 });
    } finally {
      await live.close();
      for (const m of gone) if (!m.running) await m.restart();
    }
  }, 120_000);

  it('names the member holding the watch, and moves the watch off a frozen one', async () => {
    const events: EtcdWatchEvent[] = [];
    const p = etcdProvider({ endpoints: cluster.endpoints, prefix: '/frozen-watch', onEvent: (e) => events.push(e) });
    let changes = 0;
    const stop = p.watch!(() => changes++);
    try {
      await waitUntil(() => events.some((e) => e.type === 'connected'));
      const first = events.find((e) => e.type === 'connected')!.member;
      expect(first).toMatch(/^\d+$/);
      const { memberById } = await import('../etcd/campaign.js');
      const holder = (await memberById(cluster, first!))!;
      holder.pause();
      try {
        await waitUntil(() => events.some((e) => e.type === 'disconnected' && e.reason === 'timeout'));
        await waitUntil(() => events.filter((e) => e.type === 'connected').length >= 2);
        expect(events.filter((e) => e.type === 'connected').at(-1)!.member).not.toBe(first);
        expect(changes).toBeGreaterThan(0); // the subscriber was told to re-read
      } finally {
        holder.resume();
      }
    } finally {
      stop();
      await p.close!();
    }
  }, 60_000);
});

describe('a 3-member cluster with TLS (client certificates required) and auth', () => {
  let cluster: EtcdCluster;
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  beforeAll(async () => {
    cluster = await startEtcdCluster({ tls: 'mutual' });
    await cluster.put('/allowed/port', '8080');
    await cluster.put('/private/port', '9090');
    await cluster.call('/v3/auth/role/add', { name: 'root' }).catch(() => undefined);
    await cluster.call('/v3/auth/user/add', { name: 'root', password: 'root-pw' });
    await cluster.call('/v3/auth/user/grant', { user: 'root', role: 'root' });
    await cluster.call('/v3/auth/role/add', { name: 'reader' });
    await cluster.call('/v3/auth/role/grant', { name: 'reader', perm: { permType: 'READ', key: b64('/allowed/'), range_end: b64('/allowed0') } });
    await cluster.call('/v3/auth/user/add', { name: 'app', password: 'app-password-secret' });
    await cluster.call('/v3/auth/user/grant', { user: 'app', role: 'reader' });
    await cluster.call('/v3/auth/enable', {});
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const tlsOk = () => ({ ca: cluster.pki!.ca, cert: cluster.pki!.clientCert, key: cluster.pki!.clientKey });
  const appAuth = { username: 'app', password: 'app-password-secret' };

  it('reads over TLS with a client certificate and a user allowed on the prefix', async () => {
    const p = etcdProvider({ endpoints: cluster.endpoints, prefix: '/allowed', tls: tlsOk(), auth: appAuth });
    try {
      expect((await p.load()).values).toEqual({ port: 8080 });
    } finally {
      await p.close!();
    }
  });

  it.each([
    { name: 'a CA that did not sign the server certificate', tls: () => ({ ...tlsOk(), ca: cluster.pki!.otherCa }), detail: /unable to verify|self[- ]signed|certificate/ },
    { name: 'no client certificate', tls: () => ({ ca: cluster.pki!.ca }), detail: /certificate/ },
    { name: 'https without tls options (system roots)', tls: () => undefined, detail: /unable to verify|certificate/ },
  ])('names $name a TLS failure, not retryable, with the reason kept', async ({ tls, detail }) => {
    const t = tls();
    const p = etcdProvider({ endpoints: cluster.endpoints, prefix: '/allowed', auth: appAuth, ...(t ? { tls: t } : {}) });
    try {
      const err = await loadError(p);
      expect(err.code).toBe('provider_unavailable');
      expect(err.retryable).toBe(false);
      expect(err.context).toMatchObject({ reason: 'tls', detail: expect.stringMatching(detail) });
      expect(err.cause).toMatchObject({ name: 'EtcdFailure', code: 'tls' });
      expect(JSON.stringify(err.toJSON())).not.toContain('app-password-secret');
      expect(await p.healthCheck!()).toEqual({ ok: false, message: 'provider_unavailable (tls)' });
    } finally {
      await p.close!();
    }
  });

  it.each([
    { name: 'a wrong password', prefix: '/allowed', auth: { username: 'app', password: 'wrong-password-secret' }, reason: 'auth' },
    { name: 'a denied prefix', prefix: '/private', auth: appAuth, reason: 'permission' },
  ])('names $name ($reason), not retryable, and never shows the password', async ({ prefix, auth, reason }) => {
    const p = etcdProvider({ endpoints: cluster.endpoints, prefix, tls: tlsOk(), auth });
    try {
      const err = await loadError(p);
      expect(err.context).toMatchObject({ reason });
      expect(err.retryable).toBe(false);
      const shown = [err.message, JSON.stringify(err.toJSON()), formatConfigError(err), String(err.stack)].join('\n');
      expect(shown).not.toContain('password-secret');
    } finally {
      await p.close!();
    }
  });

  it('takes credentials from an endpoint URL as auth and never shows them', async () => {
    const withCreds = cluster.endpoints.map((e) => e.replace('https://', 'https://app:app-password-secret@'));
    const p = etcdProvider({ endpoints: withCreds, prefix: '/allowed', tls: tlsOk() });
    const wrong = etcdProvider({ endpoints: withCreds.map((e) => e.replace('app-password-secret', 'wrong-password-secret')), prefix: '/allowed', tls: tlsOk() });
    const monitor = new HealthMonitor();
    monitor.register(wrong);
    try {
      expect((await p.load()).values).toEqual({ port: 8080 });
      const err = await loadError(wrong);
      expect(err.context).toMatchObject({ reason: 'auth' });
      const summary = await monitor.checkAll();
      const shown = [err.message, JSON.stringify(err.toJSON()), formatConfigError(err), inspect(err, { depth: Infinity }), inspect(wrong, { depth: Infinity }), JSON.stringify(summary)].join('\n');
      expect(shown).not.toContain('password-secret');
      const watched = await watchConfig<unknown>({ sources: [wrong], schema: false }).catch((e: unknown) => e as ConfigError);
      expect(watched).toBeInstanceOf(ConfigError);
      expect(JSON.stringify((watched as ConfigError).toJSON()) + formatConfigError(watched as ConfigError)).not.toContain('password-secret');
    } finally {
      await p.close!();
      await wrong.close!();
    }
    expect(() => etcdProvider({ endpoints: withCreds, prefix: '/x', auth: appAuth })).toThrow(/both in an endpoint URL and in auth/);
    try {
      etcdProvider({ endpoints: [withCreds[0]!, cluster.endpoints[1]!], prefix: '/x' });
      throw new Error('expected invalid_parameters');
    } catch (err) {
      expect(err).toMatchObject({ code: 'invalid_parameters' });
      expect(JSON.stringify((err as ConfigError).toJSON()) + (err as Error).message).not.toContain('password-secret');
    }
  });
});
