/**
 * Test harness: a real `etcd` (Debian etcd-server) on free loopback ports with a temp data dir,
 * which tests can kill, restart, pause (SIGSTOP), wipe and compact. It talks to etcd through the
 * gRPC gateway's JSON API over plain HTTP (no keep-alive), so the code under test (etcd3) is not
 * also the code that checks it, and the harness leaves no sockets behind.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running etcd for one test file. */
export interface EtcdServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number | undefined;
  /** Puts a value (string or raw bytes); resolves to the new revision. */
  put(key: string, value: string | Uint8Array): Promise<number>;
  /** Deletes one key, or every key under `key` when `prefix` is true; resolves to the new revision. */
  del(key: string, opts?: { prefix?: boolean }): Promise<number>;
  /** The value of a key (raw bytes) and the current revision. */
  get(key: string): Promise<{ value?: Buffer; revision: number }>;
  /** The current store revision. */
  revision(): Promise<number>;
  /** Compacts history up to `rev` (physically, so watches from before it are canceled). */
  compact(rev: number): Promise<void>;
  /** Calls any v3 JSON gateway endpoint (`/v3/auth/enable`, …), with an optional auth token. */
  call(route: string, body: unknown, token?: string): Promise<Record<string, unknown>>;
  /** SIGKILL, keeping the data dir. */
  kill(): Promise<void>;
  /** Starts again on the same ports and data dir (after kill). */
  restart(): Promise<void>;
  /** SIGKILL, delete the data dir, start fresh: the revision goes back to 1 (a "restore"). */
  wipe(): Promise<void>;
  /** SIGSTOP / SIGCONT: connections stay open but nothing answers. */
  pause(): void;
  resume(): void;
  /** Stops etcd and deletes the data dir. Idempotent. */
  stop(): Promise<void>;
}

const NOT_INSTALLED = 'etcd not installed: run scripts/ensure-etcd.sh (installs Debian etcd-server)';

/** An etcd process with the last 50 chunks of its output kept, for start-up failure messages. */
interface EtcdProcess {
  proc: ChildProcess;
  log: string[];
  exited: Promise<void>;
}

function spawnEtcd(bin: string, args: readonly string[]): EtcdProcess {
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (c: Buffer): void => {
    log.push(c.toString('utf8'));
    if (log.length > 50) log.shift();
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return { proc, log, exited: new Promise((resolve) => proc.once('exit', () => resolve())) };
}

/**
 * SIGSTOP, then waits (synchronously, up to 1 s) until the kernel reports every thread of the
 * process stopped: the signal is delivered asynchronously, and a request sent in between may
 * still be answered, which would make a "frozen member" test pass or fail by chance.
 */
function stopNow(proc: ChildProcess): void {
  proc.kill('SIGSTOP');
  if (proc.pid === undefined) return;
  const tick = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; waited < 1_000; waited++) {
    try {
      const tasks = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      if (/^State:\s+T/m.test(tasks) && allThreadsStopped(proc.pid)) return;
    } catch {
      return; // no /proc (not Linux) or the process is gone
    }
    Atomics.wait(tick, 0, 0, 1);
  }
}

function allThreadsStopped(pid: number): boolean {
  const dir = `/proc/${pid}/task`;
  for (const tid of readdirSync(dir)) {
    const status = readFileSync(`${dir}/${tid}/status`, 'utf8');
    if (!/^State:\s+T/m.test(status)) return false;
  }
  return true;
}

/** The etcd binary, or undefined when it is not installed. */
export function etcdBinary(): string | undefined {
  for (const candidate of ['etcd', '/usr/bin/etcd', '/usr/local/bin/etcd']) {
    const r = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1 (the OS picks; released before etcd binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** TLS material the harness uses to talk to a TLS member (PEM text). */
interface ClientTls {
  ca: string;
  cert: string;
  key: string;
}

function request(port: number, route: string, body: unknown, token?: string, tls?: ClientTls): Promise<Record<string, unknown>> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).request(
      {
        ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
        host: '127.0.0.1',
        port,
        path: route,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          connection: 'close',
          ...(token ? { authorization: token } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown>;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            reject(new Error(`etcd ${route}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
            return;
          }
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`etcd ${route}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          else resolve(json);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`etcd ${route}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const b64 = (v: string | Uint8Array): string => Buffer.from(typeof v === 'string' ? Buffer.from(v, 'utf8') : v).toString('base64');

function headerRevision(res: Record<string, unknown>): number {
  const header = res.header as { revision?: string } | undefined;
  return Number(header?.revision ?? 0);
}

/**
 * Starts etcd on free loopback ports with a fresh temp data dir and waits until it serves.
 * @throws Error (not skipped) when etcd is not installed: run scripts/ensure-etcd.sh
 */
export async function startEtcd(): Promise<EtcdServer> {
  const bin = etcdBinary();
  if (!bin) throw new Error(NOT_INSTALLED);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'confstack-etcd-'));
  const clientPort = await freePort();
  let peerPort = await freePort();
  while (peerPort === clientPort) peerPort = await freePort();
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log: string[] = [];
  let stopped = false;

  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const launch = async (): Promise<void> => {
    const started = spawnEtcd(bin, [
      '--name', 'default',
      '--data-dir', path.join(dataDir, 'data'),
      '--listen-client-urls', clientUrl,
      '--advertise-client-urls', clientUrl,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `default=${peerUrl}`,
      '--initial-cluster-state', 'new',
      '--log-level', 'warn',
      '--logger', 'zap',
    ]);
    child = started.proc;
    log = started.log;
    exited = started.exited;
    const deadline = Date.now() + 20_000;
    let exitedEarly = false;
    void exited.then(() => {
      exitedEarly = true;
    });
    for (;;) {
      if (exitedEarly) throw new Error(`etcd exited during start-up:\n${log.join('').slice(-2000)}`);
      try {
        await request(clientPort, '/v3/kv/range', { key: b64('/__ready__') });
        return;
      } catch {
        if (Date.now() > deadline) {
          started.proc.kill('SIGKILL');
          throw new Error(`etcd did not become ready within 20 s:\n${log.join('').slice(-2000)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const killNow = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGCONT');
    proc.kill('SIGKILL');
    await exited;
  };

  await launch();

  const server: EtcdServer = {
    endpoint: clientUrl,
    port: clientPort,
    dataDir,
    get pid() {
      return child?.pid;
    },
    async put(key, value) {
      return headerRevision(await request(clientPort, '/v3/kv/put', { key: b64(key), value: b64(value) }));
    },
    async del(key, opts) {
      const body: Record<string, string> = { key: b64(key) };
      if (opts?.prefix) {
        const end = Buffer.from(key, 'utf8');
        end[end.length - 1]! += 1;
        body.range_end = end.toString('base64');
      }
      return headerRevision(await request(clientPort, '/v3/kv/deleterange', body));
    },
    async get(key) {
      const res = await request(clientPort, '/v3/kv/range', { key: b64(key) });
      const kvs = res.kvs as { value?: string }[] | undefined;
      const v = kvs?.[0]?.value;
      return { revision: headerRevision(res), ...(kvs?.[0] ? { value: Buffer.from(v ?? '', 'base64') } : {}) };
    },
    async revision() {
      return headerRevision(await request(clientPort, '/v3/kv/range', { key: b64('/__rev__') }));
    },
    async compact(rev) {
      await request(clientPort, '/v3/kv/compaction', { revision: String(rev), physical: true });
    },
    call(route, body, token) {
      return request(clientPort, route, body, token);
    },
    async kill() {
      await killNow();
    },
    async restart() {
      await killNow();
      await launch();
    },
    async wipe() {
      await killNow();
      await rm(path.join(dataDir, 'data'), { recursive: true, force: true });
      await launch();
    },
    pause() {
      if (child) stopNow(child);
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGCONT');
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A TCP proxy in front of etcd that tests can cut (connections reset) or stall (a silent network). */
export interface TcpProxy {
  /** `http://127.0.0.1:<proxy port>`. */
  readonly endpoint: string;
  /** Forward traffic again (the default); a stall's held bytes are delivered. */
  heal(): void;
  /** Reset every open connection and every new one. */
  cut(): void;
  /** Keep connections open but hold every byte, both ways, until heal(): a network that went quiet. */
  stall(): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port forwarding to 127.0.0.1:`targetPort`. */
export async function startProxy(targetPort: number): Promise<TcpProxy> {
  let mode: 'pass' | 'cut' | 'stall' = 'pass';
  const open = new Set<net.Socket>();
  const flushers = new Set<() => void>();
  const track = (s: net.Socket): void => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
  };
  /** Forwards from -> to, holding chunks while stalled. */
  const forward = (from: net.Socket, to: net.Socket): void => {
    const held: Buffer[] = [];
    const flush = (): void => {
      while (held.length > 0 && !to.destroyed) to.write(held.shift()!);
    };
    flushers.add(flush);
    from.on('data', (chunk: Buffer) => {
      if (mode === 'stall') held.push(chunk);
      else {
        flush();
        if (!to.destroyed) to.write(chunk);
      }
    });
    from.on('close', () => {
      flushers.delete(flush);
      to.destroy();
    });
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    track(upstream);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const dropAll = (): void => {
    for (const s of open) s.resetAndDestroy();
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    heal() {
      mode = 'pass';
      for (const f of flushers) f();
    },
    cut() {
      mode = 'cut';
      dropAll();
    },
    stall() {
      mode = 'stall';
    },
    close() {
      mode = 'cut';
      dropAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Certificates made at test time by openssl (PEM text), for a TLS cluster and its clients. */
export interface TestPki {
  /** The CA that signed the server and client certificates. */
  ca: string;
  /** A CA that signed nothing here: a client trusting it must fail verification. */
  otherCa: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Where the files are (removed with the cluster). */
  dir: string;
}

/** Makes a CA, a server certificate for 127.0.0.1/localhost, a client certificate and an unrelated CA. */
export async function makePki(dir: string): Promise<TestPki> {
  const f = (name: string): string => path.join(dir, name);
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  for (const ca of ['ca', 'other-ca']) {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=confstack test ${ca}`, '-keyout', f(`${ca}.key`), '-out', f(`${ca}.crt`));
  }
  const issue = async (name: string, subject: string, ext: string): Promise<void> => {
    await writeFile(f(`${name}.ext`), ext);
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`));
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.crt`));
  };
  await issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  await issue('client', '/CN=app', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string): Promise<string> => readFile(f(name), 'utf8');
  return {
    ca: await read('ca.crt'),
    otherCa: await read('other-ca.crt'),
    serverCert: await read('server.crt'),
    serverKey: await read('server.key'),
    clientCert: await read('client.crt'),
    clientKey: await read('client.key'),
    dir,
  };
}

/** One member of an {@link EtcdCluster}. */
export interface EtcdMember {
  readonly name: string;
  /** `http(s)://127.0.0.1:<client port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** False after kill() until restart(). */
  readonly running: boolean;
  /** True between pause() and resume(): the harness then talks to the other members. */
  readonly paused: boolean;
  /** SIGKILL, keeping the data dir. */
  kill(): Promise<void>;
  /** Starts again on the same ports and data dir; resolves once it serves (or `wait: false`). */
  restart(opts?: { wait?: boolean }): Promise<void>;
  /** SIGSTOP / SIGCONT: connections stay open but nothing answers. */
  pause(): void;
  resume(): void;
}

/** A real multi-member etcd cluster on loopback ports, for fault tests. */
export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  /** Every member's client URL. */
  readonly endpoints: string[];
  /** The certificates when started with `tls`. */
  readonly pki: TestPki | undefined;
  /** Puts through the first member that accepts it; resolves to the new revision. Throws when none can (no quorum). */
  put(key: string, value: string | Uint8Array, token?: string): Promise<number>;
  /** Reads a key through the first member that answers (linearizable). */
  get(key: string): Promise<{ value?: Buffer; revision: number }>;
  /** Any v3 JSON gateway call through the first member that answers. */
  call(route: string, body: unknown, token?: string): Promise<Record<string, unknown>>;
  /** The index of the current leader (asked of every running member), or -1 while there is none. */
  leader(): Promise<number>;
  /** Waits until some member is leader and a linearizable read succeeds. */
  waitForLeader(timeoutMs?: number): Promise<number>;
  /** Stops every member and deletes the data dirs and certificates. Idempotent. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Members (default 3). */
  size?: number;
  /** `server`: https with a server certificate; `mutual`: clients must present a certificate too. */
  tls?: 'server' | 'mutual';
}

/**
 * Starts a cluster of `size` members on free loopback ports (peers talk plain http; clients http
 * or https), each with its own data dir, and waits for a leader.
 * @throws Error when etcd is not installed: run scripts/ensure-etcd.sh
 */
export async function startEtcdCluster(options: ClusterOptions = {}): Promise<EtcdCluster> {
  const bin = etcdBinary();
  if (!bin) throw new Error(NOT_INSTALLED);
  const size = options.size ?? 3;
  const root = await mkdtemp(path.join(os.tmpdir(), 'confstack-etcd-cluster-'));
  const pki = options.tls ? await makePki(root) : undefined;
  const clientTls: ClientTls | undefined = pki ? { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } : undefined;
  const scheme = pki ? 'https' : 'http';
  const used = new Set<number>();
  const port = async (): Promise<number> => {
    let p = await freePort();
    while (used.has(p)) p = await freePort();
    used.add(p);
    return p;
  };
  const specs: { name: string; client: number; peer: number }[] = [];
  for (let i = 0; i < size; i++) specs.push({ name: `m${i}`, client: await port(), peer: await port() });
  const initialCluster = specs.map((s) => `${s.name}=http://127.0.0.1:${s.peer}`).join(',');
  const children = new Map<string, ChildProcess>();
  const killAll = (): void => {
    for (const c of children.values()) c.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const tlsArgs = pki
    ? ['--cert-file', path.join(root, 'server.crt'), '--key-file', path.join(root, 'server.key'), '--trusted-ca-file', path.join(root, 'ca.crt'), ...(options.tls === 'mutual' ? ['--client-cert-auth'] : [])]
    : [];

  const serves = async (client: number, deadlineMs: number, alive: () => boolean, log: () => string): Promise<void> => {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      if (!alive()) throw new Error(`etcd member exited during start-up:\n${log().slice(-2000)}`);
      try {
        await request(client, '/v3/kv/range', { key: b64('/__ready__') }, undefined, clientTls);
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`etcd member did not serve within ${deadlineMs} ms:\n${log().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const members = specs.map((spec) => {
    const clientUrl = `${scheme}://127.0.0.1:${spec.client}`;
    const peerUrl = `http://127.0.0.1:${spec.peer}`;
    let child: ChildProcess | undefined;
    let exited: Promise<void> = Promise.resolve();
    let log: string[] = [];
    let paused = false;
    const launch = (): void => {
      paused = false;
      const started = spawnEtcd(bin, [
        '--name', spec.name,
        '--data-dir', path.join(root, spec.name),
        '--listen-client-urls', clientUrl,
        '--advertise-client-urls', clientUrl,
        '--listen-peer-urls', peerUrl,
        '--initial-advertise-peer-urls', peerUrl,
        '--initial-cluster', initialCluster,
        '--initial-cluster-state', 'new',
        '--initial-cluster-token', path.basename(root),
        '--log-level', 'warn',
        '--logger', 'zap',
        ...tlsArgs,
      ]);
      child = started.proc;
      log = started.log;
      exited = started.exited;
      children.set(spec.name, started.proc);
    };
    const running = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
    const member: EtcdMember & { launch(): void; ready(): Promise<void>; stop(): Promise<void> } = {
      name: spec.name,
      endpoint: clientUrl,
      port: spec.client,
      get running() {
        return running();
      },
      get paused() {
        return paused && running();
      },
      launch,
      ready: () => serves(spec.client, 30_000, running, () => log.join('')),
      async kill() {
        if (!running()) return;
        child!.kill('SIGCONT');
        child!.kill('SIGKILL');
        await exited;
      },
      async restart(opts) {
        await member.kill();
        launch();
        if (opts?.wait !== false) await member.ready();
      },
      pause() {
        if (!running()) return;
        paused = true;
        stopNow(child!);
      },
      resume() {
        paused = false;
        if (running()) child!.kill('SIGCONT');
      },
      async stop() {
        if (!running()) return;
        const proc = child!;
        proc.kill('SIGCONT');
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      },
    };
    return member;
  });

  for (const m of members) m.launch();
  await Promise.all(members.map((m) => m.ready()));

  /** Tries each running member in turn (a killed or leaderless one fails fast or times out). */
  const anyMember = async (route: string, body: unknown, token?: string): Promise<Record<string, unknown>> => {
    let last: unknown = new Error('no member is running');
    for (const m of members) {
      if (!m.running || m.paused) continue;
      try {
        return await request(m.port, route, body, token, clientTls);
      } catch (err) {
        last = err;
      }
    }
    throw last;
  };
  let stopped = false;
  const cluster: EtcdCluster = {
    members,
    endpoints: members.map((m) => m.endpoint),
    pki,
    async put(key, value, token) {
      return headerRevision(await anyMember('/v3/kv/put', { key: b64(key), value: b64(value) }, token));
    },
    async get(key) {
      const res = await anyMember('/v3/kv/range', { key: b64(key) });
      const kvs = res.kvs as { value?: string }[] | undefined;
      return { revision: headerRevision(res), ...(kvs?.[0] ? { value: Buffer.from(kvs[0].value ?? '', 'base64') } : {}) };
    },
    call: anyMember,
    async leader() {
      const statuses = await Promise.all(
        members.map(async (m) => {
          if (!m.running || m.paused) return undefined;
          try {
            const s = await request(m.port, '/v3/maintenance/status', {}, undefined, clientTls);
            return { self: (s.header as { member_id?: string }).member_id, leader: s.leader as string | undefined };
          } catch {
            return undefined;
          }
        }),
      );
      return statuses.findIndex((s) => s !== undefined && s.leader !== undefined && s.leader !== '0' && s.self === s.leader);
    },
    async waitForLeader(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = await cluster.leader();
        if (i >= 0) {
          try {
            await anyMember('/v3/kv/range', { key: b64('/__ready__') });
            return i;
          } catch {
            // elected but not serving yet
          }
        }
        if (Date.now() > deadline) throw new Error(`no etcd leader within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(members.map((m) => m.stop()));
      process.removeListener('exit', killAll);
      await rm(root, { recursive: true, force: true });
    },
  };
  return cluster;
}
