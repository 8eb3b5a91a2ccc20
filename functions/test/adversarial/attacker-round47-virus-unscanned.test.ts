import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { twinKit, useTwinStack } from './twin-kit.js';

// A47-1: SES's virus verdict PROCESSING_FAILED (its scanner failed) or GRAY (it could not tell) was taken for
// clean by enforceSesVerdicts on both engines. An outside sender who makes the scanner fail (an archive it
// cannot open, a scan that times out) had an unscanned attachment delivered. A scan that did not decide is not
// a pass: the message bounces as one that could not be checked.
const stack = useTwinStack();
const kit = twinKit(stack);
const dir = `${import.meta.dirname}/fixtures/round47/A47-1-virus-unscanned`;

describe('A47-1: a virus verdict SES could not reach is not a pass', () => {
  for (const verdict of ['PROCESSING_FAILED', 'GRAY'] as const) {
    const message = readFileSync(`${dir}/virus-${verdict}.eml`);
    it(`the WorkMail guard bounces X-SES-Virus-Verdict: ${verdict}`, async () => {
      expect((await kit.wmGuard(message))['bob@corp.example']).toBe('BOUNCE');
    });
    it(`guard-ses bounces a receipt virus verdict ${verdict}`, async () => {
      const { answer, bounces } = await kit.sesGuard(message, { virus: verdict, spam: 'PASS' });
      expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
      expect(bounces).toHaveLength(1);
    });
  }
  it('delivers the same message with a PASS verdict (control)', async () => {
    const clean = Buffer.from(
      readFileSync(`${dir}/virus-GRAY.eml`, 'latin1').replace(
        'X-SES-Virus-Verdict: GRAY',
        'X-SES-Virus-Verdict: PASS',
      ),
      'latin1',
    );
    expect((await kit.wmGuard(clean))['bob@corp.example']).not.toBe('BOUNCE');
    const { answer } = await kit.sesGuard(clean, { virus: 'PASS', spam: 'PASS' });
    expect(answer).not.toEqual({ disposition: 'STOP_RULE_SET' });
  });
});
