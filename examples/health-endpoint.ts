/**
 * A /health endpoint: a HealthMonitor over the config sources, served by node:http.
 * 200 when healthy or degraded, 503 when unhealthy. The JSON never contains config values.
 * Run: npx tsx examples/health-endpoint.ts   (it starts, queries itself once, and stops)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HealthMonitor, envProvider, fileProvider, healthHandler, loadConfig } from 'confstack';

const env = { OPENAI_API_KEY: 'sk-example-not-a-real-key' };
const sources = [envProvider({ env }), fileProvider({ path: fileURLToPath(new URL('./config/config.yaml', import.meta.url)) })];

const monitor = new HealthMonitor({ timeoutMs: 2_000 });
for (const source of sources) monitor.register(source);
const config = await loadConfig({ sources, env, monitor }); // records the validation result
await monitor.checkAll();

const health = healthHandler(monitor);
const server = createServer((req, res) => {
  if (req.url === '/health') return health(req, res);
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const res = await fetch(`http://127.0.0.1:${port}/health`);
const body = (await res.json()) as { status: string; providers: Record<string, { status: string }> };
console.log(`GET /health -> ${res.status} ${body.status}`);
for (const [name, p] of Object.entries(body.providers)) console.log(`  ${name}: ${p.status}`);
console.log(`(the app itself would listen on ${config.getInt('server.port')})`);

server.close();
await Promise.all(sources.map((s) => s.close?.()));
