import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { type Verdict, Verdicts } from '../verdicts.js';
import { receiptVerdicts } from './receipt-message.js';
import { checkSesOptions, SES_LIMITS, type SesFlowOptions, startupReport } from './settings.js';

const base: SesFlowOptions = { rules: [], stored: { bucket: 'inbound-mail' }, logger: console };

describe('ses: checkSesOptions', () => {
  it('merges defaults: SES’s size limit, most-protective, quarantine', () => {
    const s = checkSesOptions(base);
    expect(s.policy).toEqual({ mixed: 'most-protective', junk: 'quarantine' });
    expect(s.message.limits?.maxMessageBytes).toBe(SES_LIMITS.maxMessageBytes);
    expect(startupReport(s).limitations).toContainEqual(expect.stringMatching(/no bounceSender/));
  });

  it.each([
    ['rules', { rules: 'x' }],
    ['rules[0]', { rules: [{}] }],
    ['stored.bucket', { stored: { bucket: 'Bad_Bucket' } }],
    ['stored.keyPrefix', { stored: { bucket: 'inbound-mail', keyPrefix: 'a\nb' } }],
    ['bounceSender', { bounceSender: 'not an address' }],
    ['policy.mixed', { policy: { mixed: 'sometimes' } }],
    ['policy.junk', { policy: { junk: 'folder' } }],
    ['fallback', { fallback: { type: 'NOPE' } }],
    ['onError', { onError: 'maybe' }],
    [
      'onError.failClosed',
      { onError: { failClosed: Verdicts.bounce('x') as Verdict & { message: string } } },
    ],
  ])('refuses a bad %s', (field, bad) => {
    const options = { ...base, ...bad } as unknown as SesFlowOptions;
    if (field === 'onError.failClosed')
      (options.onError as { failClosed: { message: string } }).failClosed.message = '';
    try {
      checkSesOptions(options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
    }
  });
});

describe('ses: receiptVerdicts', () => {
  it('speaks Authentication-Results words; DISABLED checks give no result', () => {
    const status = (s: string) => ({ status: s }) as { status: 'PASS' };
    const v = receiptVerdicts({
      spamVerdict: status('DISABLED'),
      virusVerdict: status('FAIL'),
      spfVerdict: status('GRAY'),
      dkimVerdict: status('PROCESSING_FAILED'),
      dmarcVerdict: status('FAIL'),
      dmarcPolicy: 'reject',
    } as Parameters<typeof receiptVerdicts>[0]);
    expect(v).toMatchObject({
      authServId: 'amazonses.com',
      spf: 'none',
      dkim: 'temperror',
      dmarc: 'fail',
      sesVirus: 'FAIL',
    });
    expect(v.sesSpam).toBeUndefined();
    expect(v.methods.find((m) => m.method === 'dmarc')?.props).toEqual({ policy: 'reject' });
  });
});
