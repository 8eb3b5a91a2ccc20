// Attacker round 81: an outside sender's subject, quoted by a rule's failure, must not rewrite what `wmflow replay`
// prints (cursor moves, erased lines, carriage returns, bidi overrides, line separators), in the table or in JSON Lines.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, wmflow } from './replay-helpers.js';

const HANDLER = 'packages/local/test/fixtures/attacker-round81-handlers.ts#quotesSubject';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-attacker-round81-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The subject as an RFC 2047 word (UTF-8, base64): any character reaches the decoded subject.
async function message(name: string, subject: string): Promise<string> {
  const word = `=?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`;
  const path = join(dir, name);
  await writeFile(
    path,
    [
      'From: Mallory <mallory@evil.example>',
      'To: bob@corp.example',
      `Subject: ${word}`,
      'Date: Sun, 6 Dec 2026 10:00:00 +0000',
      'Message-ID: <r81@evil.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'hello',
      '',
    ].join('\r\n'),
  );
  return path;
}

const replay = (file: string, extra: string[] = []) =>
  wmflow(['replay', file, '--handler', HANDLER, '--org-domain', 'corp.example', ...extra]);

// What a terminal acts on or hides: C0 but the line feed, DEL, C1, bidi controls, line separators, zero widths.
const ACTS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters that must not reach the terminal
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;

// Where Python's str.splitlines() ends a line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the line ends of str.splitlines()
const SPLITLINES = /\r\n|[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/;

describe('attacker round 81: replay output a subject cannot rewrite', () => {
  it('escapes an erase-line and cursor-up sequence that would print a forged "ok" row over the bounce', async () => {
    const forged = `x\x1b[1A\x1b[2K\r01-invoice.eml            IN   DEFAULT             -                         -    -   ok\x1b[1B`;
    const run = await replay(await message('esc.eml', forged));
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(ACTS);
    expect(run.stdout).toContain('\\x1b[1A\\x1b[2K\\r01-invoice.eml');
    // The problem is still said, on one line, beside the bounce the fail-closed policy settled.
    expect(run.stdout).toMatch(
      /! .*esc\.eml: rule classify failed: cannot classify "x\\x1b\[1A.*\(rule classify, policy fail-closed BOUNCE/,
    );
    expect(run.stdout).toContain('1 with rule failures');
  }, 60_000);

  it('escapes a line feed, a line separator, NEL and a C1 CSI that would start a forged line', async () => {
    const run = await replay(await message('lines.eml', 'a\n! other.eml: forged\u2028b\u0085c\u009b2Kd'));
    expect(run.stdout).not.toMatch(ACTS);
    expect(run.stdout).not.toMatch(/^! other\.eml/m);
    expect(run.stdout).toContain('a\\n! other.eml: forged\\u2028b\\x85c\\x9b2Kd');
  }, 60_000);

  it('escapes bidi overrides and isolates, and keeps Grüße, 日本語 and Hebrew readable', async () => {
    const run = await replay(await message('bidi.eml', 'Grüße 日本語 שלום \u202eKO\u2066x\u2069 \u200b'));
    expect(run.stdout).not.toMatch(ACTS);
    expect(run.stdout).toContain('"Grüße 日本語 שלום \\u202eKO\\u2066x\\u2069 \\u200b"');
  }, 60_000);

  it('keeps JSON Lines one line per message for a line splitter that also ends lines at U+2028, U+2029 and NEL', async () => {
    const run = await replay(await message('json.eml', 'a\u2028{"verdicts":{}}\u2029b\u0085c\u202e'), [
      '--json',
    ]);
    expect(run.stdout).not.toMatch(/[\u0085\u2028\u2029\u202e]/);
    // Python's str.splitlines() ends lines at these too: still one JSON line, the same value when parsed.
    const lines = run.stdout.split(SPLITLINES).filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    const [line] = jsonLines(run.stdout);
    expect((line?.failures as { error: string }[] | undefined)?.[0]?.error).toContain(
      'a\u2028{"verdicts":{}}\u2029b\u0085c\u202e',
    );
    expect(line?.verdicts).toEqual({ 'bob@corp.example': 'BOUNCE:Not classified.' });
  }, 60_000);
});
