/**
 * Typed access: Config.get and the getters take key paths of the schema's output (a typo is a
 * compile error) and return the type at the path; loadConfig, Loader, loadFromSources and
 * watchConfig pick the snapshot type from their options (framework preset by default, an app's
 * schema, withFramework for both, untyped with `schema: false` or `validate: false`).
 */
import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Config } from '../../src/core/config.js';
import { Loader, loadConfig, loadFromSources, watchConfig } from '../../src/presets/framework/api.js';
import type { FrameworkConfig, LLMProviderConfig } from '../../src/presets/framework/schema.js';
import { withFramework } from '../../src/presets/framework/preset.js';
import type { FrameworkSnapshot } from '../../src/presets/framework/snapshot.js';
import type { ConfigPath, PathValue } from '../../src/tree/path-types.js';

const App = z.object({
  server: z.object({ port: z.number().default(8080), host: z.string().optional() }),
  db: z.object({ replicas: z.array(z.object({ host: z.string(), weight: z.number() })) }),
  features: z.record(z.string(), z.boolean()),
});
type AppOut = z.output<typeof App>;

describe('Config.get paths', () => {
  it('returns the type at a path, list indices as segments or [n]', async () => {
    const config = await loadConfig({ schema: App });
    expectTypeOf(config).toEqualTypeOf<Config<AppOut>>();
    expectTypeOf(config.get('server.port')).toEqualTypeOf<number>();
    expectTypeOf(config.get('server.host')).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.get('server')).toEqualTypeOf<{ port: number; host?: string | undefined }>();
    expectTypeOf(config.get('db.replicas.0.host')).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.get('db.replicas[1].weight')).toEqualTypeOf<number | undefined>();
    expectTypeOf(config.get('db.replicas')).toEqualTypeOf<{ host: string; weight: number }[]>();
    expectTypeOf(config.get('features.beta')).toEqualTypeOf<boolean | undefined>();
  });

  it('rejects a misspelt path at compile time, in get and in the typed getters', async () => {
    const config = await loadConfig({ schema: App });
    // @ts-expect-error a typo of server.port
    config.get('server.prot');
    // @ts-expect-error a typo of the root key
    config.getInt('servr.port');
    // @ts-expect-error not a key of a list item
    config.getString('db.replicas.0.hots');
    // @ts-expect-error a path below a leaf
    config.get('server.port.x');
    expectTypeOf(config.getInt('server.port')).toEqualTypeOf<number>();
    expectTypeOf(config.isSet).parameter(0).toEqualTypeOf<ConfigPath<AppOut> & string>();
  });

  it('offers every declared path (what editors complete)', () => {
    type P = ConfigPath<AppOut>;
    expectTypeOf<'server.port'>().toExtend<P>();
    expectTypeOf<'db.replicas.3.weight'>().toExtend<P>();
    expectTypeOf<'db.replicas[3].host'>().toExtend<P>();
    expectTypeOf<'features.anything'>().toExtend<P>();
    expectTypeOf<'nope'>().not.toExtend<P>();
  });

  it('keeps declared keys next to a loose object’s open keys', () => {
    type P = ConfigPath<FrameworkConfig>;
    expectTypeOf<'llm_providers.0.default_call_options.temperature'>().toExtend<P>();
    expectTypeOf<'my_own_key'>().toExtend<P>(); // loose: unknown root keys are kept, so allowed
    expectTypeOf<PathValue<FrameworkConfig, 'llm_providers[0].default_call_options.max_tokens'>>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PathValue<FrameworkConfig, 'my_own_key'>>().toEqualTypeOf<unknown>();
  });

  it('limits the depth of recursive types instead of failing', () => {
    type Tree = { name: string; children: Tree[] };
    expectTypeOf<'children.0.children.0.name'>().toExtend<ConfigPath<Tree>>();
  });
});

describe('snapshot types from the options', () => {
  it('gives the framework snapshot (with its accessors) when no schema is given', async () => {
    const config = await loadConfig();
    expectTypeOf(config).toEqualTypeOf<FrameworkSnapshot>();
    expectTypeOf(config.getLLMProviderConfig('openai')).toEqualTypeOf<LLMProviderConfig>();
    expectTypeOf(config.get('llm_providers.0.name')).toEqualTypeOf<string | undefined>();
    expectTypeOf(await loadConfig({ configPaths: ['./config'] })).toEqualTypeOf<FrameworkSnapshot>();
  });

  it('gives no framework accessors with an app schema, valibot included', async () => {
    const config = await loadConfig({ schema: App });
    expectTypeOf(config).not.toHaveProperty('getLLMProviderConfig');
    const V = v.object({ port: v.number(), name: v.optional(v.string()) });
    const vc = await loadConfig({ schema: V });
    expectTypeOf(vc.get('port')).toEqualTypeOf<number>();
    // @ts-expect-error not a key of the valibot schema
    vc.get('prot');
  });

  it('gives both with withFramework', async () => {
    const config = await loadConfig({ schema: withFramework(App) });
    expectTypeOf(config.get('server.port')).toEqualTypeOf<number>();
    expectTypeOf(config.getAgentConfig('a').max_iterations).toEqualTypeOf<number>();
    expectTypeOf(config.get('agents.0.max_iterations')).toEqualTypeOf<number | undefined>();
  });

  it('is untyped with schema: false or validate: false', async () => {
    const untyped = await loadConfig({ schema: false });
    expectTypeOf(untyped).toEqualTypeOf<Config<unknown>>();
    expectTypeOf(untyped.get('any.path[3].at.all')).toEqualTypeOf<unknown>();
    expectTypeOf(await loadConfig({ schema: App, validate: false })).toEqualTypeOf<Config<unknown>>();
    expectTypeOf(await loadConfig({ validate: false })).toEqualTypeOf<Config<unknown>>();
    expectTypeOf(untyped).not.toHaveProperty('getLLMProviderConfig');
  });

  it('gives Loader, loadFromSources and watchConfig the same overloads', async () => {
    expectTypeOf(await new Loader().load()).toEqualTypeOf<FrameworkSnapshot>();
    expectTypeOf(await new Loader({ schema: App }).load()).toEqualTypeOf<Config<AppOut>>();
    expectTypeOf(await new Loader({ schema: false }).mustLoad()).toEqualTypeOf<Config<unknown>>();
    expectTypeOf(await loadFromSources([], { schema: App })).toEqualTypeOf<Config<AppOut>>();
    expectTypeOf(await loadFromSources([])).toEqualTypeOf<FrameworkSnapshot>();
    const live = await watchConfig({ schema: App });
    expectTypeOf(live.current().get('server.port')).toEqualTypeOf<number>();
    expectTypeOf((await watchConfig()).current().getToolsConfig).toBeFunction();
    expectTypeOf((await watchConfig({ schema: false })).current()).toEqualTypeOf<Config<unknown>>();
  });
});
