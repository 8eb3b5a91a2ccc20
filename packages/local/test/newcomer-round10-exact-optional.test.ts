import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from './replay-helpers.js';

// Newcomer round 10: two examples of the docs, copied into a project whose tsconfig sets `exactOptionalPropertyTypes`
// (a common strict setting, which @tsconfig/strictest turns on), did not compile: own-lambda.md's
// `tagExternal({ …, markerKey: process.env.EXTERNAL_MARKER_KEY })` (TS2379: `string | undefined` is not assignable to
// `string`), and the README's `requireStoredAsSent(answer, …)` with the PutObject answer, whose `ETag` the SDK types
// `string | undefined`. Both options take `undefined` as "not given", as the code does.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(ROOT, 'packages/local/test/fixtures/.newcomer-r10-types-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The ```ts block of `doc` that contains `marker`, as written. */
function example(doc: string, marker: string): string {
  const blocks = readFileSync(join(ROOT, doc), 'utf8').match(/```ts\n[\s\S]*?```/g) ?? [];
  const block = blocks.find((b) => b.includes(marker));
  if (!block) throw new Error(`${doc}: no ts example with ${marker}`);
  return block.slice('```ts\n'.length, -'```'.length);
}

/** Type errors of `files` in a strict project with exactOptionalPropertyTypes, the packages as installed (dist). */
function typeErrors(files: string[], exactOptionalPropertyTypes: boolean): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

it('own-lambda.md: the handler that edits and journals compiles under exactOptionalPropertyTypes', async () => {
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  const file = join(dir, 'edit.ts');
  await writeFile(file, example('docs/own-lambda.md', 'markerKey: process.env.EXTERNAL_MARKER_KEY'));
  expect(typeErrors([file], true)).toEqual([]);
}, 120_000);

it('README: requireStoredAsSent of a PutObject answer compiles under exactOptionalPropertyTypes', async () => {
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  const file = join(dir, 'keep-subject.ts');
  await writeFile(file, example('README.md', 'requireStoredAsSent('));
  expect(typeErrors([file], true)).toEqual([]);
}, 120_000);

it('control: both compile without it, and a markerKey of the wrong type is still refused', async () => {
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  const edit = join(dir, 'edit2.ts');
  await writeFile(edit, example('docs/own-lambda.md', 'markerKey: process.env.EXTERNAL_MARKER_KEY'));
  const keep = join(dir, 'keep2.ts');
  await writeFile(keep, example('README.md', 'requireStoredAsSent('));
  expect(typeErrors([edit, keep], false)).toEqual([]);
  const wrong = join(dir, 'wrong.ts');
  await writeFile(
    wrong,
    "import { tagExternal } from '@wmflow/rules';\nexport const r = tagExternal({ markerKey: 42 });\n",
  );
  expect(typeErrors([wrong], true).join('\n')).toMatch(/number/);
}, 120_000);
