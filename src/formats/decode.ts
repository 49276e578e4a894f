/**
 * Bytes -> text for configuration files: UTF-8 only. Strips a UTF-8 BOM; rejects UTF-16/32 BOMs,
 * invalid UTF-8 and NUL bytes (a binary or mis-encoded file must not parse into garbage keys).
 */
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { LineIndex } from './positions.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Optional fields copied into the error (which provider, which format). */
export interface DecodeOptions {
  readonly provider?: string;
  readonly format?: string;
}

/**
 * Decodes UTF-8 `bytes` read from `source` (a path or etcd key).
 * @throws ConfigError parse_failed with `context.reason = 'encoding'` and `context.offset` (byte
 *   offset of the first bad byte), location file:line:col (column counted in bytes).
 */
export function decodeText(bytes: Uint8Array, source: string, options: DecodeOptions = {}): string {
  const fail = (offset: number, what: string): never => {
    const { line, column } = new LineIndex(bytes).position(offset);
    throw new ConfigError({
      op: 'decode',
      code: ErrorCode.ParseFailed,
      message: `${what} at byte ${offset}`,
      location: { file: source, line, column },
      context: { reason: 'encoding', encoding: 'utf-8', offset },
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
      ...(options.format !== undefined ? { format: options.format } : {}),
    });
  };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    fail(0, 'UTF-16/UTF-32 encoded file (only UTF-8 is supported)');
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) fail(nul, 'NUL byte (binary or UTF-16 file?)');
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = start === 0 ? bytes : bytes.subarray(start);
  try {
    return decoder.decode(body);
  } catch {
    const bad = invalidUtf8Offset(body);
    return fail(start + (bad === -1 ? body.length : bad), 'invalid UTF-8');
  }
}

/**
 * Byte offset of the first malformed UTF-8 sequence (overlong, surrogate, beyond U+10FFFF or
 * truncated), or -1 when `b` is valid UTF-8. TextDecoder only says that one exists; this says
 * where. Exported for every byte source that must be strict UTF-8 (files, etcd keys and values).
 */
export function invalidUtf8Offset(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
