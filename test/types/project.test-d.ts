import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Config } from '../../src/core/config.js';
import type { ConfigWarning } from '../../src/core/env-diagnostics.js';
import { loadConfig } from '../../src/index.js';
import { defineConfig } from '../../src/core/project.js';

const App = z.object({ server: z.object({ port: z.number() }) });

describe('defineConfig', () => {
  it('keeps the schema type, so loadConfig(projectConfig) is typed by it', async () => {
    const project = defineConfig({ schema: App, envPrefix: 'APP' });
    expectTypeOf(project.schema).toEqualTypeOf<typeof App>();
    expectTypeOf((await loadConfig(project)).value).toEqualTypeOf<Readonly<{ server: { port: number } }>>();
    expectTypeOf((await loadConfig(project)).get('server.port')).toEqualTypeOf<number>();
  });

  it('keeps validate: false and schema: false, so the config is untyped as when written inline', async () => {
    expectTypeOf((await loadConfig(defineConfig({ schema: App, validate: false }))).value).toEqualTypeOf<Readonly<unknown>>();
    expectTypeOf((await loadConfig(defineConfig({ schema: false }))).value).toEqualTypeOf<Readonly<unknown>>();
  });

  it('rejects a misspelt option and a wrong unknownEnv', () => {
    // @ts-expect-error envPrefx is not a load option
    defineConfig({ envPrefx: 'APP' });
    // @ts-expect-error unknownEnv is ignore | warn | error
    defineConfig({ unknownEnv: 'loud' });
  });
});

describe('Config.warnings', () => {
  it('is a readonly list of ConfigWarning', () => {
    expectTypeOf<Config['warnings']>().toEqualTypeOf<readonly ConfigWarning[]>();
    expectTypeOf<ConfigWarning['code']>().toEqualTypeOf<'unknown_env_var' | 'unknown_env_item' | 'env_unchecked'>();
  });
});
