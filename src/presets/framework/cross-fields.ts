/**
 * The framework configuration's cross-field rules: names unique within each list, and agents'
 * references (`llm_provider_name`, `tool_names[]`) naming existing entries. Plain code, no zod:
 * the zod schema (framework.ts) and the generated zod-free checker (preset.ts) share it.
 */
import { FRAMEWORK_LISTS } from './defaults.js';

/** Issue codes (in `params.code` of zod `custom` issues) for the cross-field rules. */
export const FrameworkIssueCode = {
  DuplicateName: 'duplicate_name',
  UnknownLLMProvider: 'unknown_llm_provider',
  UnknownTool: 'unknown_tool',
} as const;

/** One cross-field issue, in the form zod reports a `custom` issue. */
export type CrossFieldIssue = {
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
 * Checks the cross-field rules over the whole configuration. Runs even when item-level checks
 * failed, so a dangling reference is reported together with a missing field, not on the next
 * attempt. The value may therefore be malformed: every access is guarded.
 */
export function checkCrossFields(value: unknown, report: Report): void {
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
