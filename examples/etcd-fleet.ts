/**
 * A fleet shares overrides in etcd: every instance layers the keys under /myapp/ over its local
 * file, and follows changes live. A bad value written to etcd is rejected; the last good config
 * stays current.
 * Run with an etcd running (Debian: apt-get install etcd-server; then `etcd`):
 *   ETCD_ENDPOINTS=http://127.0.0.1:2379 npx tsx examples/etcd-fleet.ts
 */
import { fileURLToPath } from 'node:url';
import { envProvider, fileProvider, watchConfig } from 'confstack';
import { etcdProvider } from 'confstack/etcd';

const endpoint = process.env.ETCD_ENDPOINTS?.split(',')[0];
if (!endpoint) {
  console.log('Set ETCD_ENDPOINTS=http://127.0.0.1:2379 (a running etcd) to run this example.');
  process.exit(0);
}
const prefix = `/myapp-example-${process.pid}/`;

// What an operator would do with `etcdctl put`: here through etcd's JSON gateway.
async function put(key: string, value: string): Promise<void> {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const res = await fetch(`${endpoint}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(value) }) });
  if (!res.ok) throw new Error(`etcd put failed: ${res.status}`);
}

await put(`${prefix}server/port`, '9000');
const env = { OPENAI_API_KEY: 'sk-example-not-a-real-key' };
const live = await watchConfig({
  env,
  debounceMs: 50,
  sources: [
    etcdProvider({ endpoints: [endpoint], prefix }), // the fleet's overrides win
    envProvider({ env }),
    fileProvider({ path: fileURLToPath(new URL('./config/config.yaml', import.meta.url)) }),
  ],
});
console.log('port', live.current().getInt('server.port'), 'from', live.current().explain('server.port')?.location);

const changed = new Promise<string[]>((resolve) => live.once('change', (_next, _prev, keys) => resolve(keys)));
await put(`${prefix}logging/level`, '"debug"');
console.log('changed keys:', await changed, '-> logging.level', live.current().getString('logging.level'));

const rejected = new Promise<string>((resolve) => live.once('reject', (err) => resolve(err.code)));
// An LLM provider without provider/model_name fails validation.
await put(`${prefix}llm_providers`, '[{"name":"broken"}]');
console.log('bad write:', await rejected, '-> still', live.current().getLLMProvidersConfig().length, 'LLM providers');

await live.close();
