/**
 * Key/document mapping: one range read of etcd to one Layer. `keys` mode maps every key under the
 * prefix to a path (through ./keys.js); `document` mode parses the one key's value with its format.
 */
import { loadFormat, parseDocument } from '../../formats/index.js';
import type { Layer, LoadContext } from '../../providers/provider.js';
import { DEFAULT_LIMITS } from '../../tree/limits.js';
import type { RangeResult } from './client.js';
import { buildKeysTree, decodeText, formatForKey } from './keys.js';
import type { EtcdSettings } from './options.js';

/** The layer for one read. @throws ConfigError forbidden_key, limit_exceeded, parse_failed, duplicate_key */
export async function toLayer(s: EtcdSettings, res: RangeResult, ctx: LoadContext): Promise<Layer> {
  const limits = ctx.limits ?? DEFAULT_LIMITS;
  const keysCtx = { provider: s.name, limits };
  if (s.mode === 'keys') {
    const tree = buildKeysTree(res.kvs, s.keysPrefix, keysCtx);
    return {
      values: tree.values,
      origins: tree.origins,
      origin: { provider: s.name, type: 'etcd', location: `${s.keysPrefix}@${res.revision}` },
      interpolate: true,
    };
  }
  const kv = res.kvs[0];
  if (!kv) return { values: Object.create(null) as Record<string, unknown>, interpolate: true };
  const text = decodeText(kv.value, limits.maxDocumentBytes, 'maxDocumentBytes', s.docKey, kv.modRevision, keysCtx);
  const format = await loadFormat(s.format ?? formatForKey(s.docKey) ?? 'yaml');
  const parsed = parseDocument(format, text, { source: s.docKey, limits, provider: s.name });
  return {
    values: parsed.values,
    origin: { provider: s.name, type: 'etcd', location: `${s.docKey}@${kv.modRevision}` },
    positions: parsed.positions,
    interpolate: true,
  };
}
