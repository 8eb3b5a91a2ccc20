import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { wmflow } from './replay-helpers.js';

// Attacker round 81, left open there and closed here: `wmflow quarantine list` printed what the sender wrote (the
// From, the subject through JSON.stringify, the X-SES verdict headers) as it came, so an escape sequence could erase
// the listing's lines and draw others, and its --json lines carried U+2028, C1 controls and bidi overrides raw.
const BUCKET = 'acme-inbound';
const forged = 'FAIL\x1b[2K\r\x1b[1A2026-12-01  quarantine/other  (spam PASS)';
const messages: Record<string, string> = {
  'quarantine/forged': [
    'From: "Ann\u202e" <ann@partner.example>',
    'To: bob@corp.example',
    `Subject: invoice\u2028{"key":"quarantine/x"} \x9b2K`,
    `X-SES-Spam-Verdict: ${forged}`,
    'X-SES-Virus-Verdict: PASS',
    '',
    'body',
  ].join('\r\n'),
  'quarantine/plain': [
    'From: Jürgen <j@partner.example>',
    'To: bob@corp.example',
    'Subject: Grüße 日本語 שלום',
    'X-SES-Spam-Verdict: FAIL',
    '',
    'body',
  ].join('\r\n'),
};
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  for (const [Key, Body] of Object.entries(messages))
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Buffer.from(Body, 'utf8') }));
});
afterAll(() => stack.stop());

// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls a terminal acts on are what is looked for
const TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe('A81-4: wmflow quarantine list shows what a sender wrote, and only that', () => {
  it('the listing holds no character a terminal acts on; the forged verdict is shown escaped', async () => {
    const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`], stack.env);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(TERMINAL);
    expect(run.stdout).toContain('spam FAIL\\x1b[2K\\r\\x1b[1A2026-12-01');
    // Two messages, three lines each (the third says why it was held: fault round 70): nothing added, nothing erased.
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(6);
    // Control: readable scripts print as they are.
    expect(run.stdout).toContain('Grüße 日本語 שלום');
    expect(run.stdout).toContain('from j@partner.example');
  }, 60_000);

  it('--json: one line a message, no raw line end or control, the same values parsed', async () => {
    const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`, '--json'], stack.env);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(TERMINAL);
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const parsed = lines.map((l) => JSON.parse(l) as { key: string; subject: string; spamVerdict?: string });
    const bad = parsed.find((m) => m.key === 'quarantine/forged');
    expect(bad?.spamVerdict).toBe(forged);
    expect(bad?.subject).toContain('\u2028');
  }, 60_000);
});
