/**
 * examples/config end to end: YAML + the production profile + env overrides + a `_FILE` secret,
 * checking values and where each came from; and the example against the published JSON Schema.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/presets/framework/api.js';
import { frameworkJsonSchema } from '../../src/presets/framework/schema.js';
import { loadFormat } from '../../src/formats/index.js';
import { DEFAULT_LIMITS } from '../../src/tree/limits.js';
import { readFileSync } from 'node:fs';
import { CANARY, expectNoSecret } from '../support/errors.js';
import { tempDir } from '../support/temp.js';

const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'examples', 'config');
const BASE = join(CONFIG_DIR, 'config.yaml');
const PROD = join(CONFIG_DIR, 'config.production.yaml');

describe('examples/config', () => {
  it('loads with the production profile, env overrides and a _FILE secret, and explains each value', async () => {
    const secrets = tempDir({ 'db-url': `postgres://app:${CANARY}@db:5432/app\n` });
    const config = await loadConfig({
      configPaths: [CONFIG_DIR],
      profile: 'production',
      env: {
        OPENAI_API_KEY: 'sk-example',
        CONFSTACK_SERVER__PORT: '9090',
        CONFSTACK_LLM_PROVIDERS__LOCAL__MODEL_NAME: 'llama3.2',
        CONFSTACK_AGENTS__HELPER__MAX_ITERATIONS: '25',
        CONFSTACK_VECTOR_STORES__DOCS__CONNECTION_STRING_FILE: join(secrets, 'db-url'),
      },
    });

    expect(config.value.server).toEqual({ host: '0.0.0.0', port: 9090 });
    expect(config.getLLMProviderConfig('openai')).toMatchObject({ model_name: 'gpt-4o', api_key: 'sk-example' });
    expect(config.getLLMProviderConfig('local').model_name).toBe('llama3.2');
    expect(config.getAgentConfig('researcher').max_iterations).toBe(12);
    expect(config.getAgentConfig('helper').max_iterations).toBe(25);
    expect(config.getVectorStoresConfig()[0]!.connection_string).toBe(`postgres://app:${CANARY}@db:5432/app`);

    expect(config.explain('server.port')).toEqual({ provider: 'env:CONFSTACK', type: 'env', location: 'CONFSTACK_SERVER__PORT' });
    expect(config.explain('server.host')).toMatchObject({ type: 'file', location: BASE, line: 6 });
    expect(config.explain('logging.level')).toMatchObject({ location: PROD, line: 7 });
    expect(config.explain('llm_providers.0.model_name')).toMatchObject({ location: PROD, line: 10 });
    expect(config.explain('llm_providers.0.provider')).toMatchObject({ location: BASE, line: 14 });
    expect(config.explain('agents.1.max_iterations')).toMatchObject({ type: 'env', location: 'CONFSTACK_AGENTS__HELPER__MAX_ITERATIONS' });
    expect(config.explain('vector_stores.0.connection_string')).toMatchObject({
      type: 'env',
      location: 'CONFSTACK_VECTOR_STORES__DOCS__CONNECTION_STRING_FILE',
    });
    expect(config.explain('tools.0.enabled')).toEqual({ provider: 'schema', type: 'defaults' });
    expectNoSecret(JSON.stringify(config));
  });

  it('validates against frameworkJsonSchema() with ajv, and a broken copy does not', async () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    const validate = ajv.compile(frameworkJsonSchema());
    const yaml = await loadFormat('yaml');
    const parsed = yaml.parse(readFileSync(BASE, 'utf8'), { source: BASE, limits: DEFAULT_LIMITS }).values;
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);

    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'agents:\n  - name: a\n    max_iterations: 0\n');
    const bad = yaml.parse(readFileSync(join(dir, 'bad.yaml'), 'utf8'), { source: 'bad.yaml', limits: DEFAULT_LIMITS }).values;
    expect(validate(bad)).toBe(false);
  });
});
