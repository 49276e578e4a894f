/**
 * The redacted form of a snapshot, as the explorer serves it: `Config.toObject()` (secret keys,
 * schema marks, URL passwords), computed once per snapshot and shared by every request and the
 * reload history. Small: loaded with the lazy entry.
 */
import type { Config } from '../../core/config.js';

const trees = new WeakMap<object, Record<string, unknown>>();

/** The snapshot's tree with every secret redacted (cached per snapshot; do not mutate). */
export function redactedTree(config: Config<unknown>): Record<string, unknown> {
  let tree = trees.get(config);
  if (tree === undefined) {
    tree = config.toObject();
    trees.set(config, tree);
  }
  return tree;
}
