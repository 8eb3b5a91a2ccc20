import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One import of a file: the module specifier and the names taken from it (empty for `*` or side effects). */
export interface ImportLine {
  from: string;
  names: string[];
}

// Static `import … from`, `export … from` and dynamic `import('…')`; the braces carry the names.
const STATIC =
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:\{([^}]*)\}|[^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of a TypeScript source. */
export function importsOf(source: string): ImportLine[] {
  const found: ImportLine[] = [];
  for (const m of source.matchAll(STATIC)) {
    const names = (m[1] ?? '')
      .split(',')
      .map(
        (n) =>
          n
            .replace(/^\s*type\s+/, '')
            .split(/\s+as\s+/)[0]
            ?.trim() ?? '',
      )
      .filter((n) => n !== '');
    found.push({ from: m[2] as string, names });
  }
  for (const m of source.matchAll(DYNAMIC)) found.push({ from: m[1] as string, names: [] });
  return found;
}

/** Every shipped `.ts` file under `dir` (tests excluded). */
export function shippedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...shippedFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** The engine folder a path lies in (`workmail`, `ses`), if any. */
export function engineOf(path: string, coreSrc: string, engines: readonly string[]): string | undefined {
  const [top] = relative(coreSrc, path).split(/[\\/]/);
  return top !== undefined && engines.includes(top) ? top : undefined;
}

/**
 * Relative imports inside core that cross into an engine folder from outside it. `allowed` lists files
 * (relative to core's src) that may: the entry points that publish the adapters.
 */
export function coreViolations(
  coreSrc: string,
  engines: readonly string[],
  allowed: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const file of shippedFiles(coreSrc)) {
    const rel = relative(coreSrc, file);
    if (allowed.some((a) => rel === a || rel.startsWith(a))) continue;
    const own = engineOf(file, coreSrc, engines);
    for (const line of importsOf(readFileSync(file, 'utf8'))) {
      if (!line.from.startsWith('.')) continue;
      const target = engineOf(resolve(dirname(file), line.from), coreSrc, engines);
      if (target !== undefined && target !== own)
        problems.push(`${rel} imports the ${target} engine (${line.from})`);
    }
  }
  return problems;
}

/** Names the core entry point re-exports from engine folders. */
export function engineExports(indexSource: string, engines: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const line of importsOf(indexSource)) {
    const folder = line.from.replace(/^\.\//, '').split('/')[0];
    if (folder !== undefined && engines.includes(folder)) for (const n of line.names) names.add(n);
  }
  return names;
}

/** Imports of a package's shipped files that reach an engine (by name through `@wmflow/core`, by subpath) or an emulator. */
export function packageViolations(
  src: string,
  engineNames: ReadonlySet<string>,
  engines: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const file of shippedFiles(src)) {
    const rel = relative(src, file);
    for (const line of importsOf(readFileSync(file, 'utf8'))) {
      if (line.from === '@wmflow/local') problems.push(`${rel} imports the emulators (@wmflow/local)`);
      if (engines.some((e) => line.from === `@wmflow/core/${e}`))
        problems.push(`${rel} imports ${line.from}`);
      if (line.from !== '@wmflow/core') continue;
      for (const name of line.names.filter((n) => engineNames.has(n))) {
        problems.push(`${rel} imports ${name}, which belongs to an engine adapter`);
      }
    }
  }
  return problems;
}
