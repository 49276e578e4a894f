/**
 * The whole framework configuration: five named lists plus any other root keys (kept), and the
 * cross-field rules that need the whole tree (unique names, references between lists).
 */
import { z } from 'zod';
import { AgentConfigSchema } from './agent.js';
import { EmbeddingProviderConfigSchema } from './embedding.js';
import { FRAMEWORK_LISTS } from './defaults.js';
import { LLMProviderConfigSchema } from './llm.js';
import { ToolConfigSchema } from './tool.js';
import { VectorStoreConfigSchema } from './vector-store.js';

/** Issue codes (in `params.code` of zod `custom` issues) for the cross-field rules. */
export const FrameworkIssueCode = {
  DuplicateName: 'duplicate_name',
  UnknownLLMProvider: 'unknown_llm_provider',
  UnknownTool: 'unknown_tool',
} as const;

/** One cross-field issue, in the form zod reports a `custom` issue. */
type CrossFieldIssue = {
  code: 'custom';
  path: (string | number)[];
  message: string;
  params: { code: string };
};
type Report = (issue: CrossFieldIssue) => void;

/** Names in messages are config data, not secrets, but may be long: quote and cap them. */
function quote(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}

function nameOf(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const n = (item as { name?: unknown }).name;
  return typeof n === 'string' ? n : undefined;
}

/** Collects the names of one list, adding an issue at each duplicate's `name`. */
function namesOf(root: Record<string, unknown>, key: string, report: Report): Set<string> {
  const names = new Set<string>();
  const list = root[key];
  if (!Array.isArray(list)) return names;
  let firstIndex: Map<string, number> | undefined;
  for (let i = 0; i < list.length; i++) {
    const name = nameOf(list[i]);
    if (name === undefined) continue;
    if (names.has(name)) {
      // Rare path: find where the first one was, for the message.
      if (!firstIndex) {
        firstIndex = new Map();
        for (let j = list.length - 1; j >= 0; j--) {
          const n = nameOf(list[j]);
          if (n !== undefined) firstIndex.set(n, j);
        }
      }
      report({
        code: 'custom',
        path: [key, i, 'name'],
        message: `duplicate name ${quote(name)} (first used at ${key}.${firstIndex.get(name) ?? '?'})`,
        params: { code: FrameworkIssueCode.DuplicateName },
      });
    } else names.add(name);
  }
  return names;
}

/**
 * Runs on every parse, even when item-level checks failed (`when: () => true`), so a
 * dangling reference is reported together with a missing field, not on the next attempt.
 * The value may therefore be malformed: every access is guarded.
 */
function checkCrossFields(value: unknown, report: Report): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const root = value as Record<string, unknown>;
  const llmNames = namesOf(root, 'llm_providers', report);
  const toolNames = namesOf(root, 'tools', report);
  for (const key of FRAMEWORK_LISTS) {
    if (key !== 'llm_providers' && key !== 'tools') namesOf(root, key, report);
  }
  const agents = root.agents;
  if (!Array.isArray(agents)) return;
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i] as Record<string, unknown> | null;
    if (agent === null || typeof agent !== 'object') continue;
    const llm = agent.llm_provider_name;
    if (typeof llm === 'string' && llm.trim() !== '' && !llmNames.has(llm)) {
      report({
        code: 'custom',
        path: ['agents', i, 'llm_provider_name'],
        message: `no LLM provider named ${quote(llm)} in llm_providers`,
        params: { code: FrameworkIssueCode.UnknownLLMProvider },
      });
    }
    const tools = agent.tool_names;
    if (!Array.isArray(tools)) continue;
    for (let j = 0; j < tools.length; j++) {
      const t: unknown = tools[j];
      if (typeof t === 'string' && t.trim() !== '' && !toolNames.has(t)) {
        report({
          code: 'custom',
          path: ['agents', i, 'tool_names', j],
          message: `no tool named ${quote(t)} in tools`,
          params: { code: FrameworkIssueCode.UnknownTool },
        });
      }
    }
  }
}

/** The framework configuration's shape, without the cross-field rules. */
const FrameworkShapeSchema = z.looseObject({
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
