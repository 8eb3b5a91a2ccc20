import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, wmflow } from './replay-helpers.js';

const HANDLERS = 'packages/local/test/fixtures/problem-handlers.ts';
const FIXTURE = 'samples/eml/01-plain-text.eml';
let dir: string;
let manifests = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-replay-truth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const replay = (name: string, extra: string[] = []) =>
  wmflow(['replay', FIXTURE, '--handler', `${HANDLERS}#${name}`, '--org-domain', 'corp.example', ...extra]);

async function manifest(expectation: Record<string, unknown>): Promise<string> {
  const path = join(dir, `m${++manifests}.expect.json`);
  await writeFile(path, JSON.stringify({ fixtures: { [join(process.cwd(), FIXTURE)]: expectation } }));
  return path;
}

describe('wmflow replay tells the truth', () => {
  it('shows a rule failure with its rule, error and policy, counts it, and exits 1', async () => {
    const [json, table] = await Promise.all([replay('ruleFails', ['--json']), replay('ruleFails')]);
    const line = jsonLines(json.stdout)[0];
    expect(line?.failures).toEqual([
      { rule: 'explodes', error: expect.stringContaining('boom'), policy: 'fail-open' },
    ]);
    expect(line?.error).toBeNull();
    expect(json.code).toBe(1);
    expect(table.stdout).toContain('! rule failed');
    expect(table.stdout).toMatch(/rule explodes failed: boom \(rule explodes, policy fail-open\)/);
    expect(table.stdout).toContain('1 with rule failures');
    expect(table.code).toBe(1);
  }, 60_000);

  it('shows a failed edit with its reason and a deadline hit, and exits 1 on each', async () => {
    const [edit, late] = await Promise.all([replay('editFails', ['--json']), replay('deadline', ['--json'])]);
    expect(jsonLines(edit.stdout)[0]?.edit).toEqual({
      status: 'failed',
      reason: expect.stringContaining('no updates bucket'),
    });
    expect(edit.code).toBe(1);
    expect(jsonLines(late.stdout)[0]).toMatchObject({ deadlineHit: true, failures: [] });
    expect(late.code).toBe(1);
  }, 60_000);

  it('marks a rule failure ✓ only when the met expectation declares it (a verdict-only one does not)', async () => {
    const verdictsOnly = await manifest({ verdicts: { '*': 'DEFAULT' } });
    const met = await replay('ruleFails', ['--expect', verdictsOnly, '--check']);
    expect(met.stdout).not.toContain('✓ rule failed');
    expect(met.stdout).toContain('! rule failed');
    expect(met.code).toBe(1);
  }, 60_000);

  it('exits 0 with --allow-failures, or when a met expectation pins the outcome', async () => {
    const pinned = await manifest({ failures: ['explodes'] });
    const pinnedEdit = await manifest({ edit: { status: 'failed', reason: 'updates bucket' } });
    const wrongPin = await manifest({ failures: 0 });
    const [allowed, pin, pinEdit, wrong] = await Promise.all([
      replay('ruleFails', ['--allow-failures']),
      replay('ruleFails', ['--expect', pinned, '--check']),
      replay('editFails', ['--expect', pinnedEdit, '--check']),
      replay('ruleFails', ['--expect', wrongPin, '--check']),
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('1 with rule failures');
    expect(pin.code).toBe(0);
    expect(pin.stdout).toContain('✓ rule failed');
    expect(pinEdit.code).toBe(0);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('rule failures: expected 0, got ["explodes"]');
  }, 60_000);
});
