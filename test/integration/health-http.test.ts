import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode } from '../../src/foundation/errors.js';
import { HealthMonitor, healthHandler, type HealthHandlerOptions } from '../../src/observability/health.js';
import type { Provider } from '../../src/providers/provider.js';

let server: Server | undefined;
afterEach(async () => {
  if (server) {
    server.close();
    await once(server, 'close');
  }
  server = undefined;
});

async function serve(monitor: HealthMonitor, opts?: HealthHandlerOptions): Promise<string> {
  server = createServer(healthHandler(monitor, opts));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function provider(name: string, ok: () => boolean, counter?: { n: number }): Provider {
  return {
    name,
    type: 'test',
    load: async () => ({ values: {} }),
    healthCheck: async () => {
      if (counter) counter.n++;
      return ok() ? { ok: true } : { ok: false, message: 'down' };
    },
  };
}

describe('healthHandler', () => {
  it('answers 200 with the JSON summary (Dates as ISO strings) when healthy', async () => {
    const monitor = new HealthMonitor();
    monitor.register(provider('file:a.yaml', () => true));
    const url = await serve(monitor);
    const res = await call(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(res.body) as Record<string, any>;
    expect(body.status).toBe('healthy');
    expect(body.providers['file:a.yaml'].status).toBe('healthy');
    expect(new Date(body.checkedAt).toISOString()).toBe(body.checkedAt);
    expect(new Date(body.providers['file:a.yaml'].lastChecked).toISOString()).toBe(body.providers['file:a.yaml'].lastChecked);
    // The figures: this request's check is the one observation.
    expect(body.providers['file:a.yaml'].figures).toMatchObject({ count: 1, errors: 0, errorsByCode: {}, latencyMs: { p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) } });
    expect(body.providers['file:a.yaml'].figures.sinceLastSuccessMs).toBeGreaterThanOrEqual(0);
    expect(body.validation.figures).toEqual({ count: 0, errors: 0, errorsByCode: {}, throughputPerSec: 0 });
    expect(body.reload.figures.count).toBe(0);
  });

  it('answers 200 when degraded (a rejected reload) and 503 when unhealthy', async () => {
    let up = true;
    const monitor = new HealthMonitor();
    monitor.register(provider('etcd', () => up));
    const url = await serve(monitor);
    monitor.recordReload(false, 1, new ConfigError({ op: 'reload', code: ErrorCode.ReloadRejected, message: 'rejected' }));
    const degraded = await call(url);
    expect(degraded.status).toBe(200);
    expect(JSON.parse(degraded.body)).toMatchObject({ status: 'degraded', reload: { rejected: 1, lastErrorCode: 'reload_rejected' } });
    up = false;
    for (let i = 0; i < 2; i++) await call(url);
    const down = await call(url);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ status: 'unhealthy', providers: { etcd: { consecutiveErrors: 3 } } });
  });

  it('answers HEAD with the status and headers but no body', async () => {
    const monitor = new HealthMonitor();
    monitor.register(provider('p', () => false));
    const url = await serve(monitor);
    const res = await call(url, 'HEAD');
    expect(res.status).toBe(503);
    expect(res.body).toBe('');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
  });

  it('answers other methods with 405 and an Allow header', async () => {
    const url = await serve(new HealthMonitor());
    const res = await call(url, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('runs checkAll on every request by default', async () => {
    const counter = { n: 0 };
    const monitor = new HealthMonitor();
    monitor.register(provider('p', () => true, counter));
    const url = await serve(monitor);
    await call(url);
    await call(url);
    expect(counter.n).toBe(2);
  });

  it('shares one checkAll between concurrent requests', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let checks = 0;
    const monitor = new HealthMonitor();
    monitor.register({
      name: 'slow',
      type: 'test',
      load: async () => ({ values: {} }),
      healthCheck: async () => {
        checks++;
        await gate;
        return { ok: true };
      },
    });
    const url = await serve(monitor);
    let arrived = 0;
    server!.on('request', () => {
      if (++arrived === 3) release();
    });
    const replies = await Promise.all([call(url), call(url), call(url)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(checks).toBe(1);
  });

  it('serves a cached summary within maxAgeMs', async () => {
    const counter = { n: 0 };
    const monitor = new HealthMonitor();
    monitor.register(provider('p', () => true, counter));
    const url = await serve(monitor, { maxAgeMs: 600_000 });
    await call(url);
    await call(url);
    await call(url);
    expect(counter.n).toBe(1);
  });

  it('never shows a value, only names, codes and timestamps (S5)', async () => {
    const monitor = new HealthMonitor();
    monitor.register({
      name: 'file:secrets.yaml',
      type: 'file',
      load: async () => {
        throw new ConfigError({
          op: 'load',
          code: ErrorCode.ParseFailed,
          message: 'unexpected token',
          location: { file: 'secrets.yaml', line: 1, column: 9 },
          cause: new SyntaxError('api_key: sk-CANARY-42 <- here'),
        });
      },
    });
    monitor.recordSources([
      { name: 'file:secrets.yaml', type: 'file', status: 'skipped', error: new ConfigError({ op: 'load', code: ErrorCode.ParseFailed, message: 'x', cause: new Error('sk-CANARY-42') }) },
    ]);
    const res = await call(await serve(monitor));
    expect(res.body).not.toContain('CANARY');
    expect(JSON.parse(res.body)).toMatchObject({ providers: { 'file:secrets.yaml': { lastErrorCode: 'parse_failed' } } });
  });
});
