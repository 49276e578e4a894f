import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/foundation/errors.js';
import { dotenvFormat } from '../../src/formats/dotenv.js';
import type { Format } from '../../src/formats/format.js';
import { jsonFormat } from '../../src/formats/json.js';
import { tomlFormat } from '../../src/formats/toml.js';
import { yamlFormat } from '../../src/formats/yaml.js';
import { fixture, parseError } from './parse-helpers.js';

const CANARY = 'sk-CANARY-123';

// RELIABILITY P20: a syntax error on a line holding a secret must not echo it anywhere.
const cases: [string, Format, string, number][] = [
  ['secret-syntax-error.yaml', yamlFormat, fixture('invalid/secret-syntax-error.yaml'), 3],
  ['secret-syntax-error.json', jsonFormat, fixture('invalid/secret-syntax-error.json'), 3],
  ['secret-syntax-error.toml', tomlFormat, fixture('invalid/secret-syntax-error.toml'), 3],
  ['secret-syntax-error.env', dotenvFormat, fixture('invalid/secret-syntax-error.env'), 2],
  ['unterminated JSON string', jsonFormat, `{"apiKey": "${CANARY}`, 1],
  ['TOML bad escape', tomlFormat, `apiKey = "${CANARY}\\q"`, 1],
  ['YAML bad flow', yamlFormat, `apiKey: [${CANARY}, {`, 1],
  ['JSON duplicate', jsonFormat, `{"apiKey": "${CANARY}",\n"apiKey": "${CANARY}"}`, 2],
  ['YAML tag on secret', yamlFormat, `apiKey: !secret ${CANARY}`, 1],
];

describe('parse errors never echo source text', () => {
  it.each(cases)('%s: code and line:col, no canary in message, toJSON or formatConfigError', (name, format, text, line) => {
    expect(text).toContain(CANARY);
    const err = parseError(format, text, undefined, name);
    expect(err.location).toMatchObject({ file: name, line });
    expect(err.location?.column).toBeGreaterThan(0);
    expect(err.message).not.toContain(CANARY);
    expect(JSON.stringify(err.toJSON())).not.toContain(CANARY);
    expect(formatConfigError(err)).not.toContain(CANARY);
    expect(String(err.stack)).not.toContain(CANARY);
    expect(err.cause).toBeUndefined();
  });
});
