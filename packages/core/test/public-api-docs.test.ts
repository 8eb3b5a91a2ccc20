import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Project standard: "Public APIs have TSDoc comments with an example". Every name a package's entry points
// publish (package.json "exports", read from source) needs a doc comment; functions, classes and constants
// need an `@example` too. Interfaces, type aliases and enums need the comment only.

const ROOT = new URL('../../../', import.meta.url).pathname;
const PACKAGES = join(ROOT, 'packages');

interface ExportTarget {
  'wmflow-source'?: string;
  default?: string;
}

/** The source files a package's "exports" name: the `wmflow-source` condition, else dist/*.js mapped to src/*.ts. */
function entryPoints(): string[] {
  const files: string[] = [];
  for (const name of readdirSync(PACKAGES)) {
    const manifest = join(PACKAGES, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports;
    if (typeof exports !== 'object' || exports === null) continue;
    for (const target of Object.values(exports as Record<string, ExportTarget | string>)) {
      const source =
        typeof target === 'string'
          ? target
          : (target['wmflow-source'] ??
            target.default?.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts'));
      if (source?.endsWith('.ts')) files.push(resolve(PACKAGES, name, source));
    }
  }
  return files.sort();
}

/**
 * A program over the entry points and what they reach by relative import only: no lib, no node_modules, no
 * type-checking. Enough for the checker to follow `export … from` to the declarations.
 */
function program(roots: string[]): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noLib: true,
    types: [],
    noEmit: true,
    skipLibCheck: true,
    allowJs: false,
  };
  const host = ts.createCompilerHost(options, true);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map(({ text }) => {
      if (!text.startsWith('.')) return { resolvedModule: undefined };
      const file = resolve(dirname(containingFile), text.replace(/\.js$/, '.ts'));
      return existsSync(file)
        ? {
            resolvedModule: {
              resolvedFileName: file,
              extension: ts.Extension.Ts,
              isExternalLibraryImport: false,
            },
          }
        : { resolvedModule: undefined };
    });
  return ts.createProgram({ rootNames: roots, options, host });
}

type Kind = 'function' | 'class' | 'constant' | 'interface' | 'type' | 'enum';

function kindOf(declaration: ts.Declaration): Kind | undefined {
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isClassDeclaration(declaration)) return 'class';
  if (ts.isVariableDeclaration(declaration)) return 'constant';
  if (ts.isInterfaceDeclaration(declaration)) return 'interface';
  if (ts.isTypeAliasDeclaration(declaration)) return 'type';
  if (ts.isEnumDeclaration(declaration)) return 'enum';
  return undefined;
}

/** The TSDoc comments attached to a declaration (for a variable, the ones on its statement). */
function docsOf(declaration: ts.Declaration): ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(declaration).filter((node): node is ts.JSDoc => ts.isJSDoc(node));
}

interface PublicName {
  name: string;
  kind: Kind;
  file: string;
  documented: boolean;
  example: boolean;
}

/** Every name the entry points publish, with where it is declared and how it is documented. */
function publicNames(roots: string[]): PublicName[] {
  const prog = program(roots);
  const checker = prog.getTypeChecker();
  const seen = new Map<string, PublicName>();
  for (const root of roots) {
    const source = prog.getSourceFile(root);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read entry point ${relative(ROOT, root)}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of symbol.declarations ?? []) {
        const kind = kindOf(declaration);
        if (kind === undefined) continue;
        const file = relative(ROOT, declaration.getSourceFile().fileName);
        const key = `${file}#${exported.name}#${kind}`;
        const docs = docsOf(declaration);
        const example = docs.some((doc) => (doc.tags ?? []).some((tag) => tag.tagName.text === 'example'));
        const entry = seen.get(key) ?? { name: exported.name, kind, file, documented: false, example: false };
        // An overloaded function is documented when any of its signatures is.
        entry.documented ||= docs.length > 0;
        entry.example ||= example;
        seen.set(key, entry);
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

const needsExample = (kind: Kind): boolean => kind === 'function' || kind === 'class' || kind === 'constant';

const describeOffender = (entry: PublicName, missing: string): string =>
  `${entry.name} (${entry.kind}, ${entry.file}): ${missing}`;

describe('public API docs', () => {
  const roots = entryPoints();
  const names = publicNames(roots);

  it('reads every package entry point', () => {
    for (const entry of [
      'packages/core/src/index.ts',
      'packages/core/src/testing/index.ts',
      'packages/rules/src/index.ts',
      'packages/local/src/index.ts',
    ]) {
      expect(roots).toContain(join(ROOT, entry));
    }
    expect(names.length).toBeGreaterThan(100);
    expect(names.some((n) => n.kind === 'function')).toBe(true);
    expect(names.some((n) => n.kind === 'constant')).toBe(true);
    expect(names.some((n) => n.kind === 'interface')).toBe(true);
  });

  it('every exported function, class and constant has a TSDoc comment with an @example', () => {
    const offenders = names
      .filter((n) => needsExample(n.kind) && !(n.documented && n.example))
      .map((n) => describeOffender(n, n.documented ? 'no @example' : 'no TSDoc comment'));
    expect(offenders, `Public APIs without an example:\n${offenders.join('\n')}`).toEqual([]);
  });

  it('every exported interface, type alias and enum has a TSDoc comment', () => {
    const offenders = names
      .filter((n) => !needsExample(n.kind) && !n.documented)
      .map((n) => describeOffender(n, 'no TSDoc comment'));
    expect(offenders, `Public types without a doc comment:\n${offenders.join('\n')}`).toEqual([]);
  });
});
