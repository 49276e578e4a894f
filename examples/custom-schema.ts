/**
 * Your own schema instead of the framework one: any Standard Schema works (zod here). The result
 * is typed from the schema, and a bad value is reported with the source that set it.
 * Run: npx tsx examples/custom-schema.ts
 */
import { fileURLToPath } from 'node:url';
import { isConfigError, loadConfig } from 'confstack';
import { z } from 'zod';

const AppSchema = z.looseObject({
  server: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.int().min(1).max(65_535),
  }),
  logging: z.object({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    format: z.enum(['json', 'pretty']).default('pretty'),
  }),
});

const configDir = fileURLToPath(new URL('./config', import.meta.url));
const env = { OPENAI_API_KEY: 'sk-example-not-a-real-key' };

const config = await loadConfig({ schema: AppSchema, configPaths: [configDir], env });
const { port, host } = config.value.server; // typed: number, string
console.log(`listening on ${host}:${port}, log level ${config.value.logging.level}`);

// An env var with a value the schema refuses: the issue names the variable, not the file.
try {
  await loadConfig({ schema: AppSchema, configPaths: [configDir], env: { ...env, CONFSTACK_SERVER__PORT: '70000', CONFSTACK_LOGGING__LEVEL: 'loud' } });
} catch (err) {
  if (!isConfigError(err, 'validation_failed')) throw err;
  for (const issue of err.issues ?? []) console.log(`invalid ${issue.path}: ${issue.message} (from ${issue.origin?.location})`);
}
