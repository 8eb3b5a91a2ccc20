// Attacker round 81: what the replay table and its lines print of sender-controlled text (file names, rule
// failures quoting the message, edit reasons, errors, expectation differences) is one line of drawn characters.
import { describe, expect, it } from 'vitest';
import { jsonLine, shownText } from '../shown-text.js';
import { emptySummary } from './summary.js';
import { errorLines, problemLines, tableFooter, tableRow } from './table.js';
import type { ReplayResult } from './types.js';

function result(over: Partial<ReplayResult> = {}): ReplayResult {
  return {
    file: 'mail/01.eml',
    messageId: 'm-1',
    direction: 'INBOUND',
    synchronous: true,
    mailFrom: 'x@evil.example',
    recipients: ['bob@corp.example'],
    verdicts: { 'bob@corp.example': 'BOUNCE:No.' },
    rulesFired: ['classify'],
    rewritten: null,
    journaled: [],
    error: null,
    durationMs: 1,
    check: null,
    failures: [],
    edit: { status: 'none' },
    deadlineHit: false,
    ...over,
  };
}

const ACTS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not reach a terminal
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;

describe('attacker round 81: the replay table', () => {
  it('escapes an escape sequence and a carriage return in a file name cell', () => {
    const row = tableRow(result({ file: 'a\x1b[2K\rb.eml' }));
    expect(row).not.toMatch(ACTS);
    expect(row.split('\n')).toHaveLength(2);
  });

  it('keeps an error message with a line feed on its own line', () => {
    const text = errorLines([result({ error: { name: 'Error', message: 'boom\n! other.eml: forged' } })]);
    expect(text).not.toMatch(/^! other\.eml/m);
    expect(text).toContain('boom\\n! other.eml: forged');
  });

  it('escapes a rule failure, an edit reason and a bounce reason that quote the message', () => {
    const text = problemLines([
      result({
        failures: [{ rule: 'dlp', error: 'cannot read "a\rb\x08c\u2029"', policy: 'fail-open' }],
        edit: { status: 'failed', reason: 'x\u009b1A\u202eKO' },
        bounce: { status: 'failed', reason: 'r\x1b]52;c;ZXZpbA==\x07', recipients: ['bob@corp.example'] },
      }),
    ]);
    expect(text).not.toMatch(ACTS);
    expect(text).toContain('cannot read "a\\rb\\bc\\u2029"');
    expect(text).toContain('x\\x9b1A\\u202eKO');
    expect(text).toContain('r\\x1b]52;c;ZXZpbA==\\x07');
    expect(text.trim().split('\n')).toHaveLength(3);
  });

  it('escapes an expectation difference quoting a decoded header', () => {
    const text = tableFooter(emptySummary(), [
      result({
        check: {
          ok: false,
          differences: ['header Subject: expected "a", got "\u202eKO \u2066ok\u2069\u0085"'],
        },
      }),
    ]);
    expect(text).not.toMatch(ACTS);
    expect(text).toContain('got "\\u202eKO \\u2066ok\\u2069\\x85"');
  });
});

describe('attacker round 81: shownText and jsonLine', () => {
  it('keeps readable text of every script as it is', () => {
    for (const text of [
      'Grüße',
      '日本語の件名',
      'مرحبا بالعالم',
      'שלום עולם',
      'می‌خواهم',
      '👩‍💻 ok',
      'tab-free — “quotes”',
    ])
      expect(shownText(text)).toBe(text);
  });

  it('escapes a lone surrogate, DEL and zero-width spaces', () => {
    expect(shownText('a\ud800b\udc00c\u007f\u200b\ufeff')).toBe('a\\ud800b\\udc00c\\x7f\\u200b\\ufeff');
    expect(shownText('😀')).toBe('😀');
  });

  it('writes one JSON line that parses to the same value', () => {
    const value = { s: 'a\u2028b\u2029c\u0085d\u202e\u009b\ud800e\n', k: { '\u2028': 1 } };
    const line = jsonLine(value);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\u0085\u2028\u2029\u202e\u009b]/);
    expect(JSON.parse(line)).toEqual(value);
  });

  // Its growth on a run four times as long is measured in bench/linear-readers.ts (`npm run bench:linear`).
  it('shows 300,000 characters of controls whole, on one JSON line', () => {
    const big = '\x1b\u202ea'.repeat(100_000);
    expect(shownText(big).length).toBe(100_000 * 11);
    const line = jsonLine({ big });
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\u202e]/);
    expect((JSON.parse(line) as { big: string }).big).toBe(big);
  });
});
