/**
 * The explorer page in a real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core; nothing downloads a browser): load, search a key, open its layers, see an
 * applied and a rejected reload arrive live, keep up with a reload storm, stay usable on a ~3 MB
 * config, and never let a secret reach the DOM or any response. Skipped when chromium is missing.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configExplorer } from '../../src/operator/explorer/index.js';
import { HealthMonitor } from '../../src/observability/health.js';
import { loadFromSources } from '../../src/core/load.js';
import { envProvider } from '../../src/providers/env.js';
import { fileProvider } from '../../src/providers/file.js';
import { memoryProvider } from '../../src/providers/memory.js';
import { watchConfig, type LiveConfig } from '../../src/core/watch.js';
import { CANARY } from '../support/errors.js';
import { tempDir } from '../support/temp.js';
import { bigConfig, serve, type Served } from '../explorer/support.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'browser-test-token-0123456789';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = process.env.EXPLORER_SCREENSHOT; // a path: write the README's screenshot there

const YAML = (host: string) => `server:
  port: 8080
  host: ${host}
llm_providers:
  - name: openai
    provider: openai
    model_name: gpt-4o
    api_key: ${CANARY}
  - name: local
    provider: ollama
    model_name: llama3
db:
  url: postgres://app:${CANARY}@db.internal:5432/app
features:
  max_upload_mb: 10
labels:
  app.kubernetes.io/name: shop
`;

let context: BrowserContext | undefined;
let profile: string | undefined;
let served: Served | undefined;
let live: LiveConfig<unknown> | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  profile = mkdtempSync(join(tmpdir(), 'confstack-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1360, height: 860 } });
});
afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});
afterEach(async () => {
  await served?.close();
  await live?.close();
  served = undefined;
  live = undefined;
});

/** A page that records every response body it receives (the event stream aside: it never ends). */
async function open(url: string): Promise<{ page: Page; bodies: string[] }> {
  const page = await context!.newPage();
  const bodies: string[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/events')) return;
    res.text().then(
      (t) => bodies.push(t),
      () => {},
    );
  });
  await page.goto(url);
  return { page, bodies };
}

async function liveExplorer(): Promise<{ file: string }> {
  const dir = tempDir({ 'config.yaml': YAML('localhost'), 'pw.txt': CANARY });
  const file = join(dir, 'config.yaml');
  const env = { APP_SERVER__PORT: '9090', APP_LLM_PROVIDERS__LOCAL__API_KEY: CANARY, APP_DB__PASSWORD_FILE: join(dir, 'pw.txt') };
  const sources = [envProvider({ prefix: 'APP', env }), fileProvider({ path: file })];
  const monitor = new HealthMonitor();
  for (const s of sources) monitor.register(s);
  live = await watchConfig({ sources, env, monitor, debounceMs: 20 });
  await monitor.checkAll();
  served = await serve(configExplorer(live, { token: TOKEN, monitor, healthIntervalMs: 200 }));
  return { file };
}

describe.skipIf(!existsSync(CHROMIUM))('explorer page in Chromium', () => {
  it('asks for the token, then shows the tree, searches a key and opens its layers', async () => {
    await liveExplorer();
    const { page: locked } = await open(`${served!.base}/`);
    await locked.locator('#auth').waitFor({ state: 'visible' });
    await locked.close();

    const { page, bodies } = await open(`${served!.base}/#token=${TOKEN}`);
    // The token leaves the address bar once read.
    await page.locator('.row[data-path="server"]').waitFor();
    expect(page.url()).not.toContain(TOKEN);
    await page.fill('#search', 'server.po');
    await page.locator('#results li[data-path="server.port"]').click();
    const layers = page.locator('#layer-table tr.layer');
    await expect.poll(() => layers.count()).toBe(2);
    expect(await layers.nth(0).innerText()).toMatch(/winner\s+env:APP \(env\)\s+9090\s+env APP_SERVER__PORT/);
    expect(await layers.nth(1).innerText()).toMatch(/overridden\s+file:.*\(file\)\s+8080\s+.*config\.yaml:2:3/);
    // The tree opened down to the key, each value with its origin beside it.
    expect(await page.locator('.row[data-path="server.port"]').innerText()).toMatch(/port\s+9090\s+env APP_SERVER__PORT/);
    // Sources with health figures.
    await expect.poll(() => page.locator('#sources tr.source').count()).toBe(2);
    expect(await page.locator('#sources tr.source').nth(1).innerText()).toMatch(/loaded\s+healthy\s+[\d.]+ \/ [\d.]+ \/ [\d.]+/);
    // A key with dots in its name is found and opened too.
    await page.fill('#search', 'kubernetes');
    await page.locator('#results li', { hasText: 'app.kubernetes.io/name' }).click();
    await expect.poll(() => page.locator('#layer-table').innerText()).toMatch(/winner\s+file:.*"shop"/);
    expect(await page.locator('.row.sel').innerText()).toMatch(/app\.kubernetes\.io\/name\s+"shop"/);
    await page.locator('.row[data-path="llm_providers"]').click();
    await page.locator('.row[data-path="llm_providers.0"]').click();
    await page.locator('.row[data-path="llm_providers.0.api_key"]').click();
    await expect.poll(() => page.locator('#layer-table').innerText()).toMatch(/\[REDACTED\]/);
    const html = await page.content();
    expect(html).not.toContain(CANARY);
    expect(bodies.length).toBeGreaterThan(5);
    for (const body of bodies) expect(body).not.toContain(CANARY);
    await page.close();
  });

  it('shows an applied reload and a rejected one live, without a secret in the DOM', async () => {
    const { file } = await liveExplorer();
    const { page, bodies } = await open(`${served!.base}/#token=${TOKEN}`);
    await page.locator('#conn', { hasText: 'live' }).waitFor();
    await page.locator('.row[data-path="server"]').click();
    await page.locator('.row[data-path="server.host"]').click();
    writeFileSync(file, YAML('prod.internal'));
    const applied = page.locator('#timeline .entry.applied');
    await applied.first().waitFor();
    expect(await applied.first().innerText()).toMatch(/server\.host: "localhost" → "prod\.internal"/);
    await expect.poll(() => page.locator('.row[data-path="server.host"]').innerText()).toMatch(/"prod\.internal"/);
    await expect.poll(() => page.locator('#layers').innerText()).toMatch(/prod\.internal/);
    writeFileSync(file, YAML('prod.internal').replace('port: 8080', 'port: [8080'));
    const rejected = page.locator('#timeline .entry.rejected');
    await rejected.first().waitFor();
    expect(await rejected.first().innerText()).toMatch(/rejected: parse_failed — the last good config stays\nat .*config\.yaml:3:3/);
    await expect.poll(() => page.locator('#status').innerText()).toMatch(/health degraded/);
    if (SCREENSHOT) {
      await page.locator('.row[data-path="llm_providers"]').click();
      await page.locator('.row[data-path="llm_providers.0"]').click();
      await page.fill('#search', 'port');
      await page.locator('#results li[data-path="server.port"]').click();
      await expect.poll(() => page.locator('#layer-table tr.layer').count()).toBe(2);
      await page.screenshot({ path: SCREENSHOT, fullPage: false });
    }
    expect(await page.content()).not.toContain(CANARY);
    for (const body of bodies) expect(body).not.toContain(CANARY);
    await page.close();
  });

  it('keeps up with a storm of 200 reloads: the timeline stays bounded and shows the last one', async () => {
    const { file } = await liveExplorer();
    const { page } = await open(`${served!.base}/#token=${TOKEN}`);
    await page.locator('#conn', { hasText: 'live' }).waitFor();
    for (let i = 0; i < 200; i++) {
      writeFileSync(file, YAML(`h${i}.internal`));
      await live!.reload();
    }
    await expect.poll(() => page.locator('#timeline .entry').first().innerText(), { timeout: 15_000 }).toMatch(/"h198\.internal" → "h199\.internal"/);
    expect(await page.locator('#timeline .entry').count()).toBeLessThanOrEqual(100);
    await page.close();
  });

  it('stays usable on a ~3 MB config: a lazy tree, 200 rows at a time', async () => {
    const config = await loadFromSources([memoryProvider(bigConfig(3 * 1024 * 1024, CANARY), 'big')], { schema: false });
    served = await serve(configExplorer(config));
    const { page, bodies } = await open(`${served.base}/`);
    await page.locator('.row[data-path="services"]').click();
    await page.locator('.row[data-path="services.s199"]').waitFor();
    expect(await page.locator('.row').count()).toBe(201);
    expect(await page.locator('#tree .more').innerText()).toMatch(/show more \(\d+ more\)/);
    // The whole page holds a few hundred elements, not one per value.
    expect(await page.locator('*').count()).toBeLessThan(2000);
    await page.fill('#search', 's4321.pass');
    await page.locator('#results li[data-path="services.s4321.password"]').click();
    await expect.poll(() => page.locator('#layer-table').innerText()).toMatch(/\[REDACTED\]/);
    expect(await page.content()).not.toContain(CANARY);
    for (const body of bodies) expect(body).not.toContain(CANARY);
    await page.close();
  });
});
