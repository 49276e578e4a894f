/**
 * A TypeScript service with its own schema and one project file shared with the CLI.
 * Run: npx tsx examples/typed-service/app.ts        (then: cd examples/typed-service && npx confstack print)
 * Exit 1 with every issue located when the configuration is invalid, like `confstack validate`.
 */
import { formatConfigError, isConfigError, loadConfig } from 'confstack';
import projectConfig from './confstack.config.js';

try {
  const config = await loadConfig(projectConfig);
  const { host, port } = config.value.server; // typed from the schema: string, number
  console.log(`listening on ${host}:${port} (pool ${config.value.db.pool_size}, upstreams ${config.value.upstreams.map((u) => u.name).join(', ')})`);
  console.log(`db as printed: ${JSON.stringify(config.toObject().db)}`); // the secret-marked url is [REDACTED]
  for (const w of config.warnings) console.log(`warning: ${w.message}`);
} catch (err) {
  if (!isConfigError(err)) throw err;
  console.log(formatConfigError(err));
  process.exitCode = 1;
}
