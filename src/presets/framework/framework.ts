/**
 * The whole framework configuration: five named lists plus any other root keys (kept), and the
 * cross-field rules that need the whole tree (unique names, references between lists; written
 * in cross-fields.ts, shared with the generated zod-free checker (preset.ts)).
 */
import { z } from 'zod';
import { AgentConfigSchema } from './agent.js';
import { checkCrossFields, type CrossFieldIssue } from './cross-fields.js';
import { EmbeddingProviderConfigSchema } from './embedding.js';
import { LLMProviderConfigSchema } from './llm.js';
import { ToolConfigSchema } from './tool.js';
import { VectorStoreConfigSchema } from './vector-store.js';

export { FrameworkIssueCode } from './cross-fields.js';

/**
 * The framework configuration's shape, without the cross-field rules (what
 * scripts/gen-framework-check.ts generates the zod-free checker from).
 */
export const FrameworkShapeSchema = z.looseObject({
  llm_providers: z.array(LLMProviderConfigSchema).default(() => []),
  embedding_providers: z.array(EmbeddingProviderConfigSchema).default(() => []),
  vector_stores: z.array(VectorStoreConfigSchema).default(() => []),
  tools: z.array(ToolConfigSchema).default(() => []),
  agents: z.array(AgentConfigSchema).default(() => []),
});

/**
 * The framework configuration. Root keys `llm_providers`, `embedding_providers`,
 * `vector_stores`, `tools` and `agents` each default to `[]`; unknown root keys are kept.
 * Cross-field rules: names unique within each list (issue at the duplicate's `name`),
 * `agents[].llm_provider_name` names an LLM provider, every `agents[].tool_names[]` entry names
 * a tool. Every issue is reported in one parse.
 * @example
 * const cfg = FrameworkConfigSchema.parse(yaml.parse(text)); cfg.agents[0]?.max_iterations // number
 */
export const FrameworkConfigSchema = FrameworkShapeSchema.superRefine(
  (value, ctx) => checkCrossFields(value, (issue) => ctx.addIssue(issue)),
  // also when the shape failed: every issue in one parse
  { when: () => true },
);

/*
 * The Standard Schema entry point (what confstack's loader calls) runs the shape and then the
 * cross-field rules directly, with the same issues in the same order as `safeParse`. Why: in
 * zod 4.6 any refinement on the root object roughly halves throughput (measured: ~60k -> ~33k
 * validations/s on a 3 KB config, 2.9k -> 1.2k/s on 120 KB, most of the difference in GC),
 * while the rules themselves cost about a microsecond. A test checks both paths agree.
 */
{
  const standard = FrameworkConfigSchema['~standard'];
  const validateShape = FrameworkShapeSchema['~standard'].validate;
  FrameworkConfigSchema['~standard'] = {
    ...standard,
    validate(value: unknown) {
      const result = validateShape(value);
      if (result instanceof Promise) return standard.validate(value); // not reachable: the shape is synchronous
      const cross: CrossFieldIssue[] = [];
      checkCrossFields(result.issues ? value : result.value, (issue) => cross.push(issue));
      if (cross.length === 0) return result as ReturnType<typeof standard.validate>;
      return { issues: [...(result.issues ?? []), ...cross] };
    },
  };
}

/** A validated framework configuration (defaults applied; unknown root keys kept as `unknown`). */
export type FrameworkConfig = z.output<typeof FrameworkConfigSchema>;
/** What a config file may hold (every list optional). */
export type FrameworkConfigInput = z.input<typeof FrameworkConfigSchema>;
