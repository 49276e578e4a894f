/**
 * The basics: load examples/config/config.yaml with the environment on top, read typed values,
 * ask where a value came from, and print the config with secrets redacted.
 * Run: npx tsx examples/basic.ts
 */
import { fileURLToPath } from 'node:url';
import { isConfigError, loadConfig } from 'confstack';

const configDir = fileURLToPath(new URL('./config', import.meta.url));

// The environment a deployment would give us. `env` defaults to process.env; passing it keeps
// this example independent of your shell.
const env = {
  OPENAI_API_KEY: 'sk-example-not-a-real-key', // interpolated as ${OPENAI_API_KEY}
  CONFSTACK_SERVER__PORT: '9090', // overrides server.port (coerced to a number)
  CONFSTACK_AGENTS__RESEARCHER__MAX_ITERATIONS: '20', // the agent named "researcher"
};

const config = await loadConfig({ configPaths: [configDir], env });

console.log('server.port       =', config.getInt('server.port'));
console.log('  set by          =', config.explain('server.port'));
console.log('researcher        =', config.getAgentConfig('researcher').max_iterations, 'iterations');
console.log('openai model      =', config.getLLMProviderConfig('openai').model_name);
console.log('temperature       =', config.getFloat('llm_providers.0.default_call_options.temperature'));
console.log('sources           =', config.sources().map((s) => `${s.name} (${s.status})`).join(', '));
// Printing never shows secrets: api_key and connection_string are "[REDACTED]".
console.log('vector store      =', JSON.stringify(config.toObject().vector_stores));

// A missing variable is an error with a code and the file:line that used it.
try {
  await loadConfig({ configPaths: [configDir], env: {} });
} catch (err) {
  if (!isConfigError(err, 'interpolation_failed')) throw err;
  console.log('without OPENAI_API_KEY:', err.code, err.location);
}
