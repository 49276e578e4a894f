import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Config } from '../../src/config.js';
import type { ConfigWarning } from '../../src/env-diagnostics.js';
import { loadConfig, type LoadOptions } from '../../src/load.js';
import { defineConfig, type ProjectConfig } from '../../src/project.js';

const App = z.object({ server: z.object({ port: z.number() }) });

describe('defineConfig', () => {
  it('keeps the schema type, so loadConfig(projectConfig) is typed by it', () => {
    const project = defineConfig({ schema: App, envPrefix: 'APP' });
    expectTypeOf(project).toEqualTypeOf<ProjectConfig<typeof App>>();
    expectTypeOf(project.schema).toEqualTypeOf<typeof App>();
    expectTypeOf(loadConfig(project)).resolves.toEqualTypeOf<Config<{ server: { port: number } }>>();
  });

  it('without a schema is plain LoadOptions', () => {
    expectTypeOf(defineConfig({ envPrefix: 'APP' })).toEqualTypeOf<LoadOptions>();
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
