import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/formats/decode.js';
import { errorOf } from './parse-helpers.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodeText', () => {
  it('decodes UTF-8 and strips a UTF-8 BOM', () => {
    expect(decodeText(utf8('a: é ✓ 𝄞'), 'x.yaml')).toBe('a: é ✓ 𝄞');
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, ...utf8('a: 1')), 'x.yaml')).toBe('a: 1');
    expect(decodeText(bytes(), 'x.yaml')).toBe('');
  });

  it.each([
    ['UTF-16LE BOM', bytes(0xff, 0xfe, 0x61, 0x00), 0, 1, 1],
    ['UTF-16BE BOM', bytes(0xfe, 0xff, 0x00, 0x61), 0, 1, 1],
    ['NUL byte', utf8('a: 1\nb: \u0000'), 8, 2, 4],
    ['invalid continuation', bytes(0x61, 0x0a, 0x62, 0xc3, 0x28), 3, 2, 2],
    ['lone continuation byte', bytes(0x61, 0x80), 1, 1, 2],
    ['overlong encoding', bytes(0x61, 0xc0, 0xaf), 1, 1, 2],
    ['UTF-16 surrogate encoded in UTF-8', bytes(0xed, 0xa0, 0x80), 0, 1, 1],
    ['truncated sequence at end', bytes(0x61, 0x62, 0xe2, 0x82), 2, 1, 3],
    ['invalid after a UTF-8 BOM', bytes(0xef, 0xbb, 0xbf, 0x61, 0xff), 4, 1, 5],
  ])('%s → parse_failed (encoding) with the byte offset', (_name, input, offset, line, column) => {
    const err = errorOf(() => decodeText(input, 'conf/app.yaml', { provider: 'file:app', format: 'yaml' }));
    expect(err.code).toBe('parse_failed');
    expect(err.context).toMatchObject({ reason: 'encoding', offset });
    expect(err.location).toEqual({ file: 'conf/app.yaml', line, column });
    expect(err.provider).toBe('file:app');
    expect(err.format).toBe('yaml');
  });
});
