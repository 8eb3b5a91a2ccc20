import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveEnvelope, inferDirection } from '../src/replay/envelope.js';
import { jsonLines, wmflow } from './replay-helpers.js';

// A47-6: without --direction, replay took the direction from the From the sender wrote: a spoof of the
// organization's own domain that SES received (its Authentication-Results, virus and spam verdicts on top)
// replayed OUTBOUND, the inbound-only guard skipped it, and replay said 0 errors and exited 0.
const SPOOF = 'packages/local/test/fixtures/round47/spoofed-ceo-virus-exe.eml';
const ORG = ['corp.example'];
const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\nbody\r\n`);

describe('replay infers the direction from what the receiving server wrote, not from the From', () => {
  it('replays an SES-received spoof of the organization inbound, and the guard bounces it', async () => {
    const run = await wmflow([
      'replay',
      SPOOF,
      '--function',
      'guard',
      '--org-domain',
      'corp.example',
      '--json',
    ]);
    const line = jsonLines(run.stdout)[0];
    expect(line?.direction).toBe('INBOUND');
    expect(line?.skipped).toBeUndefined();
    expect(Object.values(line?.verdicts ?? {}).some((v) => String(v).startsWith('BOUNCE'))).toBe(true);
  }, 60_000);

  it('reads each SES reception mark as inbound, and a plain organization From as outbound', () => {
    const from = 'From: ceo@corp.example';
    const marks = [
      'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=corp.example',
      'Authentication-Results: amazonses.com; spf=pass (open comment',
      'X-SES-Spam-Verdict: PASS',
      'X-SES-Virus-Verdict: PASS',
      'X-SES-Receipt: AEFBQUFBQUFB',
    ];
    for (const mark of marks)
      expect(inferDirection(head([mark, from]), 'ceo@corp.example', ORG), mark).toBe('INBOUND');
    expect(inferDirection(head([from, 'To: x@outside.example']), 'ceo@corp.example', ORG)).toBe('OUTBOUND');
    // Another server's Authentication-Results (a sender can write one) does not make the message inbound.
    const written = head(['Authentication-Results: mx.evil.example; dkim=pass', from]);
    expect(inferDirection(written, 'ceo@corp.example', ORG)).toBe('OUTBOUND');
    expect(inferDirection(head(['From: x@outside.example']), 'x@outside.example', ORG)).toBe('INBOUND');
    expect(inferDirection(head([from]), 'ceo@corp.example', [])).toBe('INBOUND');
  });

  it('derives the spoof envelope from its From (the mail from stays what the sender claimed)', () => {
    expect(
      deriveEnvelope(readFileSync(SPOOF), { direction: 'INBOUND', organizationDomains: ORG }).mailFrom,
    ).toMatch(/@corp\.example$/);
  });
});
