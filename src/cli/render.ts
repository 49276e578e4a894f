/**
 * Rendering (already redacted) trees as YAML or JSON for `print`, `get` and `watch`. Apart from
 * output.ts because the `yaml` package costs ~23 ms to load, which `validate` and `health` skip.
 */
import { Document, isScalar, stringify } from 'yaml';
import { describeOrigin, type Origin } from '../tree/origins.js';
import { joinPath } from '../tree/path.js';

/** Renders a tree (or scalar) as YAML or pretty JSON, ending in a newline. */
export function renderValue(value: unknown, format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  if (value === undefined) return '\n';
  return stringify(value, { lineWidth: 0 });
}

/**
 * YAML with a trailing `# <source>` comment on every leaf (`config/config.yaml:3:9`,
 * `env CONFSTACK_SERVER__PORT`, `defaults`). `originOf` receives canonical leaf paths.
 */
export function renderYamlWithSources(tree: Record<string, unknown>, originOf: (path: string) => Origin | undefined): string {
  const doc = new Document(tree);
  const walk = (v: unknown, segments: (string | number)[]): void => {
    if (Array.isArray(v) && v.length > 0) v.forEach((item, i) => walk(item, [...segments, i]));
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, [...segments, k]);
    } else {
      const node = doc.getIn(segments, true);
      const origin = originOf(segments.reduce<string>((p, s) => joinPath(p, s), ''));
      // Scalars only: a comment on an empty [] or {} would land on the next line, detached.
      if (origin && isScalar(node)) {
        node.comment = ` ${describeOrigin(origin)}`;
      }
    }
  };
  walk(tree, []);
  return doc.toString({ lineWidth: 0 });
}
