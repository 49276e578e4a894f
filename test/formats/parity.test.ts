import { describe, expect, it } from 'vitest';
import type { Format } from '../../src/formats/format.js';
import { jsonFormat } from '../../src/formats/json.js';
import { tomlFormat } from '../../src/formats/toml.js';
import { yamlFormat } from '../../src/formats/yaml.js';
import { TomlDateTime } from '../../src/tree/datetime.js';
import { ctxFor, fixture } from './parse-helpers.js';

const formats: [string, Format][] = [
  ['yaml', yamlFormat],
  ['json', jsonFormat],
  ['toml', tomlFormat],
];

const parsed = Object.fromEntries(
  formats.map(([ext, format]) => [ext, format.parse(fixture(`canonical/config.${ext}`), ctxFor(`config.${ext}`))]),
);

// [path, yaml, json, toml] positions (TOML list items inside inline arrays answer their key's line).
const POSITIONS: [string, [number, number], [number, number], [number, number]][] = [
  ['server.port', [9, 3], [9, 5], [10, 1]],
  ['server.cors_origins.1', [13, 7], [13, 7], [12, 1]],
  ['llm_providers.1.name', [24, 5], [31, 7], [26, 1]],
  ['llm_providers.1.default_call_options.temperature', [28, 7], [35, 9], [31, 1]],
  ['tools.search_kb.top_k', [43, 5], [56, 7], [44, 1]],
  ['released', [6, 1], [6, 3], [6, 1]],
];

describe('canonical dataset parity', () => {
  it('yaml, json and toml give identical values', () => {
    expect(parsed.json!.values).toEqual(parsed.yaml!.values);
    // TOML has a date type: `released` is a TomlDateTime there, a string in YAML and JSON; JSON
    // output writes it the same.
    expect(JSON.parse(JSON.stringify(parsed.toml!.values))).toEqual(parsed.yaml!.values);
    expect(parsed.toml!.values.released).toEqual(new TomlDateTime('2024-05-01'));
    expect(parsed.yaml!.values).toMatchObject({
      version: 3,
      debug: false,
      sample_rate: 0.25,
      released: '2024-05-01',
      server: { port: 8080 },
      llm_providers: [{ name: 'openai', default_call_options: { stop: ['\n\nHuman:'] } }, { name: 'anthropic' }],
    });
  });

  it.each(POSITIONS)('%s has the right line:col in each format', (path, yaml, json, toml) => {
    expect(parsed.yaml!.positions.get(path)).toEqual({ line: yaml[0], column: yaml[1] });
    expect(parsed.json!.positions.get(path)).toEqual({ line: json[0], column: json[1] });
    expect(parsed.toml!.positions.get(path)).toEqual({ line: toml[0], column: toml[1] });
  });
});
