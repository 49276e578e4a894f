import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  AgentConfig,
  FrameworkConfig,
  FrameworkConfigInput,
  FrameworkConfigSchema,
  LLMProviderConfig,
  ToolConfig,
} from '../../src/presets/framework/schema.js';
import type { StandardSchemaV1 } from '../../src/foundation/standard-schema.js';
import type { FrameworkSchema } from '../../src/presets/framework/api.js';
import type { TypeAt, validateValue } from '../../src/core/validate.js';
import type { ValueKind } from '../../src/providers/provider.js';

type Inferred = z.infer<typeof FrameworkConfigSchema>;

describe('FrameworkConfigSchema types', () => {
  it('infers the lists with defaults applied', () => {
    expectTypeOf<Inferred>().toEqualTypeOf<FrameworkConfig>();
    expectTypeOf<Inferred['agents'][number]['max_iterations']>().toEqualTypeOf<number>();
    expectTypeOf<Inferred['agents'][number]['tool_names']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Inferred['tools'][number]['enabled']>().toEqualTypeOf<boolean>();
    expectTypeOf<Inferred['llm_providers'][number]['default_call_options']['temperature']>().toEqualTypeOf<number>();
    expectTypeOf<Inferred['llm_providers'][number]['api_key']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Inferred['embedding_providers'][number]['api_key']>().toEqualTypeOf<string>();
    expectTypeOf<Inferred['vector_stores'][number]['connection_string']>().toEqualTypeOf<string | undefined>();
  });

  it('keeps unknown root keys as unknown', () => {
    expectTypeOf<Inferred['server']>().toEqualTypeOf<unknown>();
  });

  it('makes defaulted keys optional in the input type', () => {
    expectTypeOf<{}>().toExtend<FrameworkConfigInput>();
    expectTypeOf<FrameworkConfigInput['agents']>().toEqualTypeOf<z.input<typeof FrameworkConfigSchema>['agents']>();
    expectTypeOf<{ agents: [{ name: 'a'; llm_provider_name: 'p' }] }>().toExtend<FrameworkConfigInput>();
  });

  it('exports the item types', () => {
    expectTypeOf<LLMProviderConfig>().toEqualTypeOf<Inferred['llm_providers'][number]>();
    expectTypeOf<AgentConfig>().toEqualTypeOf<Inferred['agents'][number]>();
    expectTypeOf<ToolConfig>().toEqualTypeOf<Inferred['tools'][number]>();
  });
});

describe('validateValue types', () => {
  it('returns the output type of the schema given', () => {
    type Out = Awaited<ReturnType<typeof validateValue<FrameworkSchema>>>;
    expectTypeOf<Out>().toEqualTypeOf<FrameworkConfig>();
    expectTypeOf<FrameworkSchema>().toExtend<StandardSchemaV1<unknown, FrameworkConfig>>();
    type User = z.ZodObject<{ port: z.ZodDefault<z.ZodNumber> }>;
    expectTypeOf<Awaited<ReturnType<typeof validateValue<User>>>>().toEqualTypeOf<{ port: number }>();
  });

  it('types schemaTypeAt answers as ValueKind', () => {
    expectTypeOf<ReturnType<TypeAt>>().toEqualTypeOf<ValueKind | undefined>();
  });
});
