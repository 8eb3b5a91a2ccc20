import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreViolations, engineExports, importsOf, packageViolations } from './scan.js';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const CORE = join(ROOT, 'packages/core/src');
const ENGINES = ['workmail', 'ses'] as const;
// The entry points publish the adapters; `testing/` builds WorkMail events for tests.
const ENTRY_POINTS = ['index.ts', 'testing/'];
const engineNames = engineExports(readFileSync(join(CORE, 'index.ts'), 'utf8'), ENGINES);

describe('engine boundaries', () => {
  it('the rule core imports no engine adapter, and engines import each other not at all', () => {
    expect(coreViolations(CORE, ENGINES, ENTRY_POINTS)).toEqual([]);
  });

  it('@wmflow/rules imports no engine adapter and no emulator', () => {
    expect(engineNames.has('flow')).toBe(true); // the index really is read
    expect(packageViolations(join(ROOT, 'packages/rules/src'), engineNames, ENGINES)).toEqual([]);
  });

  it('flags a core file that imports an adapter, and a rule that takes an adapter name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wmflow-bounds-'));
    try {
      mkdirSync(join(dir, 'flow'));
      mkdirSync(join(dir, 'ses'));
      mkdirSync(join(dir, 'workmail'));
      writeFileSync(join(dir, 'flow/bad.ts'), "import { RESPONSE_LIMITS } from '../workmail/response.js';\n");
      writeFileSync(join(dir, 'ses/bad.ts'), "export type { FlowEvent } from '../workmail/event.js';\n");
      writeFileSync(
        join(dir, 'workmail/fine.ts'),
        "import type { Direction } from '../flow/direction.js';\n",
      );
      expect(coreViolations(dir, ENGINES, [])).toEqual([
        'flow/bad.ts imports the workmail engine (../workmail/response.js)',
        'ses/bad.ts imports the workmail engine (../workmail/event.js)',
      ]);
      writeFileSync(
        join(dir, 'flow/rule.ts'),
        "import { type Rule, flow as build } from '@wmflow/core';\nconst x = await import('@wmflow/local');\n",
      );
      expect(packageViolations(join(dir, 'flow'), new Set(['flow']), ENGINES).sort()).toEqual([
        'rule.ts imports flow, which belongs to an engine adapter',
        'rule.ts imports the emulators (@wmflow/local)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads names, type-only names and renames', () => {
    expect(importsOf("import { a, type B, c as d } from 'x';\nexport * from 'y';")).toEqual([
      { from: 'x', names: ['a', 'B', 'c'] },
      { from: 'y', names: [] },
    ]);
  });
});
