/**
 * The public surface of each entry point, as sorted export names. A change here is a change to
 * the API contract (../shared/design/API.md): review the snapshot diff deliberately.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Every declaration reachable by name from the built entry points' types (exports, and the
 * members and constructors of exported classes and interfaces) that is tagged `@internal`.
 */
function internalsInPublicTypes(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string } | string> };
  const entries = Object.values(pkg.exports).flatMap((e) => (typeof e === 'object' && e.types ? [join(ROOT, e.types)] : []));
  const declarations = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? declarations(join(dir, n)) : n.endsWith('.d.ts') ? [join(dir, n)] : []));
  // Our own .d.ts files only (no lib, no dependencies' types): seconds faster, and all it needs.
  const program = ts.createProgram(declarations(join(ROOT, 'dist')), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noLib: true,
    noResolve: true,
    types: [],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const found = new Set<string>();
  const check = (symbol: ts.Symbol, name: string): void => {
    if (symbol.getJsDocTags(checker).some((t) => t.name === 'internal')) found.add(name);
  };
  for (const file of entries) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      check(symbol, exported.name);
      if (!(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) continue;
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      for (const member of checker.getPropertiesOfType(instance)) check(member, `${exported.name}.${member.name}`);
      if (symbol.flags & ts.SymbolFlags.Class) {
        const statics = checker.getTypeOfSymbol(symbol);
        for (const member of checker.getPropertiesOfType(statics)) if (member.name !== 'prototype') check(member, `${exported.name}.${member.name}`);
        for (const signature of statics.getConstructSignatures()) {
          if (signature.getJsDocTags().some((t) => t.name === 'internal')) found.add(`new ${exported.name}()`);
        }
      }
    }
  }
  return [...found].sort();
}

const ENTRIES = ['confstack', 'confstack/providers', 'confstack/registry', 'confstack/schema', 'confstack/testing', 'confstack/testing/contract', 'confstack/etcd', 'confstack/explorer'] as const;

describe('public API surface', () => {
  it.each(ENTRIES)('%s exports exactly the reviewed names', async (entry) => {
    const mod = (await import(entry)) as Record<string, unknown>;
    expect(Object.keys(mod).sort()).toMatchSnapshot();
  });

  it('has no @internal declaration in the public types (the .d.ts of every entry point)', () => {
    expect(internalsInPublicTypes()).toEqual([]);
  });

  it('has every name API.md promises in the core entry', async () => {
    const core = (await import('confstack')) as Record<string, unknown>;
    const promised = `fileProvider envProvider defaultsProvider memoryProvider compositeProvider envVarName configKey getEnvConfigMap
      loadConfig loadFromFile loadFromEnv Loader defaultLoaderOptions newYAMLProvider newJSONProvider newTOMLProvider
      newAutoDetectProvider newCompositeProvider validateConfig setDefaults ConfigError ErrorCode isConfigError asConfigError
      formatConfigError ProviderRegistry globalRegistry registerGlobal newProvider listProviders getProviderMetadata
      isProviderRegistered unregisterProvider getProvidersForFormat getProvidersByCapability findProviders getBestProvider
      validateProviderOptions createMetrics noOpMetrics setGlobalMetrics getGlobalMetrics HealthMonitor healthHandler
      watchConfig`.split(/\s+/);
    expect(promised.filter((name) => !(name in core))).toEqual([]);
  });
});
