// Attacker round 81: a journaled message whose subject a rule quotes must leave `wmflow backtest` one JSON line per
// message, for a line reader that also ends lines at U+2028, U+2029 or NEL (Python's str.splitlines()).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, wmflow } from './replay-helpers.js';

const HANDLER = 'packages/local/test/fixtures/attacker-round81-handlers.ts#quotesSubject';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-attacker-round81-bt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function eml(subject: string): string {
  return [
    'From: Mallory <mallory@evil.example>',
    'To: bob@corp.example',
    `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    'Date: Sun, 6 Dec 2026 10:00:00 +0000',
    'Message-ID: <r81-bt@evil.example>',
    '',
    'hello',
    '',
  ].join('\r\n');
}

// Where Python's str.splitlines() ends a line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the line ends of str.splitlines()
const SPLITLINES = /\r\n|[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/;

describe('attacker round 81: backtest JSON Lines a subject cannot split', () => {
  it('escapes U+2028, U+2029, NEL and a right-to-left override; the parsed value is unchanged', async () => {
    const journal = join(dir, 'journal');
    await mkdir(journal, { recursive: true });
    const subject = 'x\u2028{"type":"summary","messages":0}\u2029\u0085\u202eKO';
    await writeFile(join(journal, 'a'), eml(subject));
    await writeFile(join(journal, 'b'), eml('Grüße 日本語 مرحبا'));
    const run = await wmflow([
      'backtest',
      journal,
      '--handler',
      HANDLER,
      '--org-domain',
      'corp.example',
      '-j',
      '1',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u0085\u2028\u2029\u202e]/);
    const split = run.stdout.split(SPLITLINES).filter((l) => l !== '');
    expect(split).toHaveLength(3);
    const lines = jsonLines(run.stdout);
    expect(lines.map((l) => l.type)).toEqual(['message', 'message', 'summary']);
    const failures = (lines[0]?.candidate as { failures: { error: string }[] } | undefined)?.failures;
    expect(failures?.[0]?.error).toContain(subject);
    // The benign control: readable letters stay as they are, raw in the line.
    expect(run.stdout).toContain('Grüße 日本語 مرحبا');
    expect((lines[2] as { messages: number }).messages).toBe(2);
  }, 90_000);
});
