/**
 * The project file: the app imports it (`loadConfig(projectConfig)`) and the `confstack` CLI
 * finds it in this directory (or takes `--project examples/typed-service/confstack.config.ts`),
 * so both load, validate and redact with the same schema, prefix and files.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'confstack';
import { AppSchema } from './schema.js';

export default defineConfig({
  schema: AppSchema,
  envPrefix: 'SHOP',
  // Absolute, so the app finds its files from any working directory.
  configPaths: [fileURLToPath(new URL('./config', import.meta.url))],
  unknownEnv: 'warn',
});
