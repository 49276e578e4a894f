/**
 * The framework's sections (LLM providers, agents, tools…) and your app's own (`server`,
 * `logging`) validated in one load: `withFramework(AppSchema)` runs the framework preset over its
 * five lists and your schema (zod here; valibot works the same) over every other key. One Config
 * whose type has both: typed `get` paths, the framework accessors, and one error listing the
 * issues of both schemas.
 * Run: npx tsx examples/framework-and-app.ts
 */
import { fileURLToPath } from 'node:url';
import { isConfigError, loadConfig, withFramework } from 'confstack';
import { z } from 'zod';

const AppSchema = z.object({
  server: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.int().min(1).max(65_535),
  }),
  logging: z.object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }),
});
const schema = withFramework(AppSchema);

const configDir = fileURLToPath(new URL('./config', import.meta.url));
const env = { OPENAI_API_KEY: 'sk-example-not-a-real-key' };

const config = await loadConfig({ schema, configPaths: [configDir], env });
const port: number = config.get('server.port'); // typed from AppSchema; config.get('server.prot') does not compile
console.log(`listening on ${config.get('server.host')}:${port}, log level ${config.get('logging.level')}`);
console.log('researcher uses', config.getAgentConfig('researcher').llm_provider_name, 'with', config.get('agents[0].tool_names'));

// A bad value in each part: one validation_failed error lists both, each with the source that set it.
try {
  await loadConfig({ schema, configPaths: [configDir], env: { ...env, CONFSTACK_SERVER__PORT: '70000', CONFSTACK_AGENTS__HELPER__MAX_ITERATIONS: '0' } });
} catch (err) {
  if (!isConfigError(err, 'validation_failed')) throw err;
  for (const issue of err.issues ?? []) console.log(`invalid ${issue.path}: ${issue.message} (from ${issue.origin?.location})`);
}
