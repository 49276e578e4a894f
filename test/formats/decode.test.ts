import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, invalidUtf8Offset } from '../../src/formats/decode.js';
import { LineIndex } from '../../src/formats/positions.js';
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

describe('invalidUtf8Offset', () => {
  it.each([
    ['empty', bytes(), -1],
    ['ASCII and 2-, 3-, 4-byte sequences', utf8('a é ✓ 𝄞'), -1],
    ['a lone continuation byte', bytes(0x61, 0x80), 1],
    ['an overlong 3-byte form', bytes(0xe0, 0x80, 0xaf), 0],
    ['beyond U+10FFFF', bytes(0x61, 0xf4, 0x90, 0x80, 0x80), 1],
    ['a truncated 4-byte sequence', bytes(0xf0, 0x9d, 0x84), 0],
  ])('%s → %i', (_name, input, offset) => {
    expect(invalidUtf8Offset(input)).toBe(offset);
  });

  it('agrees with the strict TextDecoder on arbitrary bytes, and the prefix before the offset is valid', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const valid = (b: Uint8Array) => {
      try {
        strict.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (b) => {
        const at = invalidUtf8Offset(b);
        expect(at === -1).toBe(valid(b));
        if (at !== -1) expect(valid(b.subarray(0, at))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('LineIndex', () => {
  it('gives the same positions over a text and over its (ASCII) bytes, columns in bytes for bytes', () => {
    const text = 'a: 1\n\nbb: 2\n';
    const [fromText, fromBytes] = [new LineIndex(text), new LineIndex(utf8(text))];
    for (let offset = 0; offset <= text.length; offset++) expect(fromBytes.position(offset)).toEqual(fromText.position(offset));
    expect(fromText.position(6)).toEqual({ line: 3, column: 1 });
    expect(new LineIndex(utf8('é\nx')).position(3)).toEqual({ line: 2, column: 1 }); // é is 2 bytes
  });
});
