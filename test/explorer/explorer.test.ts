/**
 * configExplorer over real HTTP: routes, redaction, auth, CORS, hostile requests, event streams,
 * history bounds, big configs. Live reloads come from real files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configExplorer as lazyExplorer } from '../../src/operator/explorer/lazy.js';
import { configExplorer } from '../../src/operator/explorer/index.js';
import { HealthMonitor } from '../../src/observability/health.js';
import { loadFromSources } from '../../src/core/load.js';
import { envProvider } from '../../src/providers/env.js';
import { fileProvider } from '../../src/providers/file.js';
import { memoryProvider } from '../../src/providers/memory.js';
import { watchConfig, type LiveConfig } from '../../src/core/watch.js';
import { CANARY, expectNoSecret } from '../support/errors.js';
import { tempDir } from '../support/temp.js';
import { bigConfig, call, openEvents, rawStatus, serve, type Served } from './support.js';

const TOKEN = 'explorer-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };

const YAML = `server:
  port: 8080
  host: localhost
llm_providers:
  - name: openai
    provider: openai
    model_name: gpt-4o
    api_key: ${CANARY}
db:
  url: postgres://app:${CANARY}@db:5432/app
tags: [a, b]
`;

let served: Served | undefined;
let live: LiveConfig<unknown> | undefined;
afterEach(async () => {
  await served?.close();
  await live?.close();
  served = undefined;
  live = undefined;
});

/** A live config over a real file, env vars (one secret, one `_FILE` secret) and the framework schema. */
async function liveStack(extra: { historyLimit?: number; maxSseClients?: number; monitor?: HealthMonitor } = {}) {
  const dir = tempDir({ 'config.yaml': YAML, 'pw.txt': CANARY });
  const env = { APP_SERVER__PORT: '9090', APP_LLM_PROVIDERS__OPENAI__API_KEY: CANARY, APP_DB__PASSWORD_FILE: join(dir, 'pw.txt') };
  const file = fileProvider({ path: join(dir, 'config.yaml') });
  const sources = [envProvider({ prefix: 'APP', env }), file];
  const monitor = extra.monitor ?? new HealthMonitor();
  for (const s of sources) monitor.register(s);
  live = await watchConfig({ sources, env, debounceMs: 10, monitor, schema: false });
  served = await serve(configExplorer(live, { token: TOKEN, monitor, schema: false, ...extra }));
  return { dir, file: join(dir, 'config.yaml'), port: served.port, monitor };
}

describe('configExplorer: routes', () => {
  it('serves the merged config redacted, with a node view that gives each child its origin', async () => {
    const { port, file } = await liveStack();
    const full = await call(port, '/api/config', AUTH);
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toMatch(/^application\/json/);
    expect(full.headers['cache-control']).toBe('no-store');
    const body = full.json();
    expect(body.config.server.port).toBe(9090);
    expect(body.config.db).toEqual({ url: 'postgres://app:[REDACTED]@db:5432/app', password: '[REDACTED]' });
    expect(body.config.llm_providers[0].api_key).toBe('[REDACTED]');
    const node = (await call(port, '/api/config?path=server', AUTH)).json();
    expect(node).toMatchObject({ path: 'server', kind: 'object', size: 2 });
    expect(node.children).toEqual([
      { key: 'port', path: 'server.port', kind: 'number', value: 9090, origin: 'env APP_SERVER__PORT' },
      { key: 'host', path: 'server.host', kind: 'string', value: 'localhost', origin: `${file}:3:3` },
    ]);
    const leaf = (await call(port, '/api/config?path=server.host', AUTH)).json();
    expect(leaf).toMatchObject({ kind: 'string', value: 'localhost', origin: { at: `${file}:3:3` } });
    expect((await call(port, '/api/config?path=nope', AUTH)).status).toBe(404);
    const page = (await call(port, '/api/config?path=tags&offset=1&limit=1', AUTH)).json();
    expect(page).toMatchObject({ kind: 'array', size: 2, offset: 1, children: [{ key: '1', path: 'tags.1', value: 'b' }] });
  });

  it('explains every layer of a key, and searches keys', async () => {
    const { port, file } = await liveStack();
    const ex = (await call(port, '/api/explain?key=server.port', AUTH)).json();
    expect(ex).toMatchObject({ key: 'server.port', ancestors: ['server'], found: true, value: 9090, origin: { at: 'env APP_SERVER__PORT' } });
    expect((await call(port, '/api/explain?key=llm_providers[0].api_key', AUTH)).json()).toMatchObject({ key: 'llm_providers.0.api_key', ancestors: ['llm_providers', 'llm_providers.0'], value: '[REDACTED]' });
    expect(ex.layers.map((l: any) => [l.role, l.value, l.origin.at])).toEqual([
      ['winner', 9090, 'env APP_SERVER__PORT'],
      ['overridden', 8080, `${file}:2:3`],
    ]);
    expect((await call(port, '/api/explain?key=missing.key', AUTH)).json()).toMatchObject({ found: false, value: null, layers: [] });
    expect((await call(port, '/api/explain', AUTH)).status).toBe(400);
    expect((await call(port, '/api/explain?key=a..b', AUTH)).json().error.code).toBe('invalid_parameters');
    expect((await call(port, '/api/explain?key=__proto__.x', AUTH)).json().error.code).toBe('forbidden_key');
    // Slashes and dots inside a key (encoded in the query) are fine.
    const dotted = (await call(port, `/api/explain?key=${encodeURIComponent('tags["a/b.c"]')}`, AUTH)).json();
    expect(dotted).toMatchObject({ key: 'tags["a/b.c"]', found: false });
    const found = (await call(port, '/api/search?q=PORT', AUTH)).json();
    expect(found.matches).toEqual([{ path: 'server.port', kind: 'number' }]);
  });

  it('lists sources with their health figures, the health summary, and the schema reference', async () => {
    const { port } = await liveStack();
    const sources = (await call(port, '/api/sources', AUTH)).json().sources;
    expect(sources.map((s: any) => [s.type, s.status])).toEqual([
      ['env', 'loaded'],
      ['file', 'loaded'],
    ]);
    expect(sources[1].health.figures).toMatchObject({ count: 1, errors: 0, latencyMs: { p50: expect.any(Number) } });
    const health = (await call(port, '/api/health', AUTH)).json();
    expect(health).toMatchObject({ available: true, status: 'healthy', validation: { figures: { count: 0 } } });
    const ref = (await call(port, '/api/reference', AUTH)).json();
    expect(ref).toMatchObject({ available: false, reason: expect.stringMatching(/schema/) });
  });

  it('serves the JSON Schema of the schema it is given (the framework preset, a zod schema), or says there is none', async () => {
    const config = await loadFromSources([memoryProvider({ a: 1 }, 'mem')], { schema: false });
    served = await serve(configExplorer(config));
    expect((await call(served.port, '/api/reference')).json()).toEqual({ available: false, reason: 'no schema was given (options.schema)' });
    const { frameworkPreset } = await import('../../src/presets/framework/preset.js');
    const s1 = await serve(configExplorer(config, { schema: frameworkPreset }));
    const framework = (await call(s1.port, '/api/reference')).json();
    expect(framework).toMatchObject({ available: true, kind: 'json-schema', schema: { type: 'object' } });
    expect(Object.keys(framework.schema.properties)).toEqual(expect.arrayContaining(['llm_providers', 'agents', 'tools']));
    await s1.close();
    const { z } = await import('zod');
    const s2 = await serve(configExplorer(config, { schema: z.object({ port: z.number().default(1) }) }));
    expect((await call(s2.port, '/api/reference')).json().schema.properties.port).toEqual({ default: 1, type: 'number' });
    await s2.close();
  });

  it('serves one snapshot too: history empty, events say it is not live', async () => {
    const config = await loadFromSources([memoryProvider({ a: 1 }, 'mem')], { schema: false });
    served = await serve(configExplorer(config));
    expect((await call(served.port, '/api/history')).json()).toEqual({ live: false, version: 1, entries: [], dropped: 0, limit: 100 });
    const es = await openEvents(served.port, '/api/events');
    expect(await es.next('hello')).toEqual({ version: 1, live: false, health: null });
    es.close();
  });

  it('never shows the password of a source named by a URL, on any route', async () => {
    const named = memoryProvider({ vault: { role: 'app' } }, `memory:https://svc:${CANARY}@vault.local/v1`);
    const monitor = new HealthMonitor();
    monitor.register(named);
    const config = await loadFromSources([named], { schema: false, monitor });
    await monitor.checkAll();
    served = await serve(configExplorer(config, { monitor }));
    const bodies = await Promise.all(
      ['/api/config', '/api/config?path=vault', '/api/explain?key=vault.role', '/api/explain?key=', '/api/search?q=', '/api/sources', '/api/health'].map(async (p) => (await call(served!.port, p)).body),
    );
    expect(JSON.parse(bodies[2]!).layers[0].source).toBe('memory:https://svc:[REDACTED]@vault.local/v1');
    for (const body of bodies) expectNoSecret(body);
  });

  it('serves the page (no data in it, a strict CSP) under basePath, and works as the lazy export', async () => {
    const config = await loadFromSources([memoryProvider({ a: 1 }, 'mem')], { schema: false });
    served = await serve(lazyExplorer(config, { basePath: '/_config/', token: TOKEN }));
    const page = await call(served.port, '/_config/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/);
    expect(page.body).toContain('<title>confstack explorer</title>');
    expect((await call(served.port, '/_config')).status).toBe(200);
    expect((await call(served.port, '/_config/api/config', AUTH)).json().config).toEqual({ a: 1 });
    expect((await call(served.port, '/api/config', AUTH)).status).toBe(404);
    expect((await call(served.port, '/_configx/api/config', AUTH)).status).toBe(404);
  });
});

describe('configExplorer: security', () => {
  it('needs the bearer token on every /api route: 401 without it or with a wrong one', async () => {
    const { port } = await liveStack();
    for (const path of ['/api/config', '/api/explain?key=a', '/api/search', '/api/sources', '/api/health', '/api/history', '/api/reference', '/api/events']) {
      const none = await call(port, path);
      expect(none.status, path).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="confstack"');
      expect((await call(port, path, { authorization: `Bearer ${TOKEN}x` })).status, path).toBe(401);
      expect((await call(port, path, { authorization: TOKEN })).status, path).toBe(401);
      expect((await call(port, path, { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` })).status).toBe(401);
    }
    expect((await call(port, '/api/history', { authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it('refuses a token in the query string, even with the right header', async () => {
    const { port } = await liveStack();
    for (const q of [`token=${TOKEN}`, `access_token=${TOKEN}`, `Token=x`]) {
      const r = await call(port, `/api/config?${q}`, AUTH);
      expect(r.status).toBe(400);
      expect(r.json().error.code).toBe('token_in_query');
      expect(r.body).not.toContain(TOKEN);
    }
  });

  it('sends no CORS headers unless configured, then only to the configured origin', async () => {
    const { port } = await liveStack();
    const r = await call(port, '/api/history', { ...AUTH, origin: 'https://evil.example' });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect((await call(port, '/api/history', { origin: 'https://evil.example' }, 'OPTIONS')).status).toBe(405);
    const config = await loadFromSources([memoryProvider({ a: 1 }, 'mem')], { schema: false });
    const s2 = await serve(configExplorer(config, { cors: 'https://ops.example' }));
    const ok = await call(s2.port, '/api/history', { origin: 'https://ops.example' });
    expect(ok.headers['access-control-allow-origin']).toBe('https://ops.example');
    expect((await call(s2.port, '/api/history', { origin: 'https://evil.example' })).headers['access-control-allow-origin']).toBeUndefined();
    const pre = await call(s2.port, '/api/config', { origin: 'https://ops.example', 'access-control-request-method': 'GET' }, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toBe('authorization');
    await s2.close();
  });

  it('answers hostile requests with a 4xx and stays up: path tricks, methods, huge headers, huge URLs, unknown routes', async () => {
    const { port } = await liveStack();
    const get = (path: string, extra = '') => rawStatus(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n${extra}Connection: close\r\n\r\n`);
    const cases: [string, number][] = [
      ['/api/../api/config', 400],
      ['/api/./config', 400],
      ['/%2e%2e/api/config', 400],
      ['/api%2fconfig', 400],
      ['/api/config%00', 400],
      ['/api/explain?key=a%00', 400],
      ['/api\\config', 400],
      ['//api/config', 400],
      ['/API/CONFIG', 404],
      ['/api/config/', 404],
      ['/api/nope', 404],
      ['/constructor', 404],
      ['/__proto__', 404],
      ['/api/explain?key=a&key=b', 400],
      ['/api/config?path=tags&offset=-1', 400],
      ['/api/search?q=' + 'x'.repeat(300), 400],
      ['/' + 'a'.repeat(9000), 414],
      ['http://evil/api/config', 400],
      ['*', 400],
    ];
    for (const [path, status] of cases) expect(await get(path), path).toBe(status);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expect(await rawStatus(port, `${method} /api/config HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)).toBe(405);
    }
    // Node itself refuses more than 16 KB of headers (431) before the handler runs.
    expect(await get('/api/config', `X-Big: ${'a'.repeat(20_000)}\r\n`)).toBe(431);
    expect((await call(port, '/api/history', AUTH)).status).toBe(200);
  });

  it('refuses a 10,000-segment key with a 4xx, whether the server or the explorer catches it first', async () => {
    const { port } = await liveStack();
    const key = Array.from({ length: 10_000 }, () => 'a').join('.');
    expect(await rawStatus(port, `GET /api/explain?key=${key} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`)).toBe(431);
    // Mounted in a server that allows long request lines, the explorer itself refuses it.
    const config = await loadFromSources([memoryProvider({ a: 1 }, 'mem')], { schema: false });
    const big = await serve(configExplorer(config), { maxHeaderSize: 1024 * 1024 });
    expect(await rawStatus(big.port, `GET /api/explain?key=${key.slice(0, 8000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).toBe(400);
    expect(await rawStatus(big.port, `GET /api/explain?key=${key} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).toBe(414);
    expect(await rawStatus(big.port, `GET /api/config HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\nConnection: close\r\n\r\n`)).toBe(431);
    expect((await call(big.port, '/api/explain?key=a')).status).toBe(200);
    await big.close();
  });

  it('never answers 5xx to random requests', async () => {
    const config = await loadFromSources([memoryProvider({ a: { b: [1, { c: 'x' }] } }, 'mem')], { schema: false });
    served = await serve(configExplorer(config));
    const pieces = ['/', 'api', 'config', 'explain', '?', '&', '=', 'key', 'path', '.', '..', '%', '%zz', '[', ']', '"', 'a', 'b', '0', '__proto__', 'offset', 'limit', '#', ';'];
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      let path = '/';
      const n = 1 + Math.floor(rnd() * 8);
      for (let j = 0; j < n; j++) path += pieces[Math.floor(rnd() * pieces.length)];
      const status = await rawStatus(served.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(status, path).toBeGreaterThanOrEqual(200);
      expect(status, path).toBeLessThan(500);
    }
  });

  it('rejects bad options with invalid_parameters, naming the option but not its value', () => {
    const config = { current: undefined } as never;
    expect(() => configExplorer(config, { token: 'short' })).toThrow(expect.objectContaining({ code: 'invalid_parameters', location: { key: 'token' } }));
    expect(() => configExplorer(config, { basePath: '/a/../b' })).toThrow(expect.objectContaining({ location: { key: 'basePath' } }));
    expect(() => configExplorer(config, { maxSseClients: 0 })).toThrow(expect.objectContaining({ location: { key: 'maxSseClients' } }));
    expect(() => configExplorer(config, { cors: '*' })).toThrow(expect.objectContaining({ location: { key: 'cors' } }));
    try {
      configExplorer(config, { token: `short ${CANARY}` });
    } catch (err) {
      expectNoSecret(JSON.stringify(err) + String(err));
    }
  });
});

describe('configExplorer: live', () => {
  it('streams an applied reload (redacted diff) and a rejected one (located issues), and keeps both in the history', async () => {
    const { port, file } = await liveStack();
    const es = await openEvents(port, '/api/events', AUTH);
    expect(es.status).toBe(200);
    expect((await es.next('hello')).live).toBe(true);
    writeFileSync(file, YAML.replace('host: localhost', 'host: prod.internal').replace(`app:${CANARY}`, `app:${CANARY}2`));
    const applied = await es.next('reload');
    expect(applied).toMatchObject({ outcome: 'applied', version: 2, changedKeys: ['db.url', 'server.host'] });
    expect(applied.diff).toEqual([
      { key: 'db.url', before: 'postgres://app:[REDACTED]@db:5432/app', after: 'postgres://app:[REDACTED]@db:5432/app' },
      { key: 'server.host', before: 'localhost', after: 'prod.internal' },
    ]);
    writeFileSync(file, 'server:\n  port: [unclosed\n');
    const rejected = await es.next('rejected');
    expect(rejected).toMatchObject({ outcome: 'rejected', version: 2, error: { code: 'reload_rejected', context: { cause_code: 'parse_failed' }, location: { file, line: 2 } } });
    const history = (await call(port, '/api/history', AUTH)).json();
    expect(history.entries.map((e: any) => e.outcome)).toEqual(['applied', 'rejected']);
    for (const e of es.events) expectNoSecret(JSON.stringify(e));
    expectNoSecret(JSON.stringify(history));
    es.close();
  });

  it('records a validation rejection with every issue located at its file:line:col', async () => {
    const { z } = await import('zod');
    const dir = tempDir({ 'app.yaml': 'server:\n  port: 8080\n' });
    const file = join(dir, 'app.yaml');
    live = await watchConfig({ sources: [fileProvider({ path: file })], schema: z.object({ server: z.object({ port: z.number() }) }), debounceMs: 10 });
    served = await serve(configExplorer(live));
    const es = await openEvents(served.port, '/api/events');
    await es.next('hello');
    writeFileSync(file, 'server:\n  port: eighty\n');
    const rejected = await es.next('rejected');
    expect(rejected.error).toMatchObject({ code: 'reload_rejected', context: { cause_code: 'validation_failed' } });
    expect(rejected.error.issues).toEqual([expect.objectContaining({ path: 'server.port', origin: expect.objectContaining({ location: file, line: 2 }) })]);
    es.close();
  });

  it('tells event clients when a source health changes', async () => {
    const monitor = new HealthMonitor();
    const { port } = await liveStack({ monitor });
    await served!.close();
    served = await serve(configExplorer(live!, { monitor, healthIntervalMs: 50 }));
    const es = await openEvents(served.port, '/api/events');
    await es.next('hello');
    monitor.recordReload(false, 1);
    expect(await es.next('health')).toMatchObject({ status: 'degraded', reasons: ['last reload rejected (reload_rejected)'] });
    es.close();
    void port;
  });

  it('bounds event streams: of 1,000 clients the first 32 stream, the rest get 503, and the server stays up', async () => {
    const { port } = await liveStack();
    const streams = await Promise.all(Array.from({ length: 1000 }, () => openEvents(port, '/api/events', AUTH)));
    const statuses = streams.map((s) => s.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(32);
    expect(statuses.filter((s) => s === 503)).toHaveLength(968);
    expect((await call(port, '/api/history', AUTH)).status).toBe(200);
    for (const s of streams) s.close();
    // The slots free up once clients leave.
    let again = await openEvents(port, '/api/events', AUTH);
    for (let i = 0; again.status !== 200 && i < 100; i++) {
      again.close();
      await new Promise((r) => setTimeout(r, 20));
      again = await openEvents(port, '/api/events', AUTH);
    }
    expect(again.status).toBe(200);
    again.close();
  });

  it('keeps the history bounded through a storm of 200 reloads', async () => {
    const { port, file } = await liveStack({ historyLimit: 50 });
    const es = await openEvents(port, '/api/events', AUTH);
    for (let i = 0; i < 200; i++) {
      writeFileSync(file, YAML.replace('port: 8080', `port: ${10_000 + i}`).replace('host: localhost', `host: h${i}`));
      await live!.reload();
    }
    const history = (await call(port, '/api/history', AUTH)).json();
    expect(history.entries).toHaveLength(50);
    expect(history.limit).toBe(50);
    expect(history.dropped + history.entries.length).toBe(history.entries.at(-1).seq);
    expect(history.entries.at(-1).diff).toContainEqual({ key: 'server.host', before: 'h198', after: 'h199' });
    await es.next('reload', (d) => d.diff.some((l: any) => l.after === 'h199'));
    es.close();
  });
});

describe('configExplorer: a ~3 MB config', () => {
  it('serves the whole tree when it fits, children 200 at a time, and 413 past maxResponseBytes', async () => {
    const values = bigConfig(3 * 1024 * 1024, CANARY);
    const config = await loadFromSources([memoryProvider(values, 'big')], { schema: false });
    served = await serve(configExplorer(config, { maxResponseBytes: 64 * 1024 * 1024 }));
    const full = await call(served.port, '/api/config');
    expect(full.status).toBe(200);
    expect(JSON.stringify(values).length).toBeGreaterThan(3 * 1024 * 1024);
    expect(full.body.length).toBeGreaterThan(2.5 * 1024 * 1024); // passwords shrink to [REDACTED]
    expect(full.body).not.toContain(CANARY);
    const page = (await call(served.port, '/api/config?path=services')).json();
    expect(page.size).toBe(Object.keys(values.services as object).length);
    expect(page.children).toHaveLength(200);
    expect(page.children[0]).toEqual({ key: 's0', path: 'services.s0', kind: 'object', size: 5, origin: 'big' });
    const search = (await call(served.port, '/api/search?q=s1234.pass')).json();
    expect(search.matches).toEqual([{ path: 'services.s1234.password', kind: 'string' }]);
    const small = await serve(configExplorer(config, { maxResponseBytes: 1024 * 1024 }));
    const refused = await call(small.port, '/api/config');
    expect(refused.status).toBe(413);
    expect(refused.json().error.code).toBe('response_too_large');
    expect((await call(small.port, '/api/config?path=services.s7')).status).toBe(200);
    await small.close();
  });
});
