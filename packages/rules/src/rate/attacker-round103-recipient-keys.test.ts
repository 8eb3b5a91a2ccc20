import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, manualClock, startDynamo } from '../../test/support/dynamo.js';
import { runFlow } from '../../test/support/run.js';
import { mailStorm } from './mail-storm.js';
import { rateLimit } from './rate-limit.js';

// Attacker round 103: the mail-storm stopper and the inbound per-recipient limits counted each spelling of an
// organization mailbox apart. `mailStorm` matches a protected group's sub-addresses and folded spellings
// (`all-staff+1@`, `ALL-STAFF@`, `ａll-staff@`: `recipientMatchesAny`, attacker rounds 47 and 75, because the
// organization's server delivers them to the group), but counted each under its own key
// (`storm:all-staff+1@corp.example`), so an outside sender writing `all-staff+1@`, `all-staff+2@`, … reached the
// whole group past the threshold; a `recipient` or `pair` limit on an inbound mailbox likewise. Inbound, a recipient
// is an organization mailbox: its counter is now the mailbox (sub-address cut, local part folded). Outbound
// recipients are outside addresses, whose servers' rules are not known here (round 87): their keys are unchanged.

let dynamo: DynamoHarness;
beforeAll(async () => {
  dynamo = await startDynamo();
}, 60_000);
afterAll(() => dynamo?.stop());

const STORM = /^BOUNCE:.*mail storm/;
const LIMIT = /^BOUNCE:.*too many messages/;

async function storm(threshold: number) {
  const clock = manualClock();
  const rule = mailStorm({
    table: await dynamo.table(),
    dynamo: dynamo.client,
    storeTimeoutMs: 10_000,
    clock: clock.now,
    recipients: ['all-staff@corp.example'],
    threshold,
    window: '1h',
    windowType: 'fixed',
  });
  return (recipients: string[], mailFrom = 'x@evil.example') => {
    clock.advance(1000);
    return runFlow([rule], { mailFrom, recipients });
  };
}

async function limiter(key: 'recipient' | 'pair', limit: number) {
  const clock = manualClock();
  const rule = rateLimit({
    table: await dynamo.table(),
    dynamo: dynamo.client,
    storeTimeoutMs: 10_000,
    onStoreError: 'fail-closed',
    clock: clock.now,
    key,
    limit,
    window: '1h',
    windowType: 'fixed',
  });
  return rule;
}

describe('A103-1: the mail storm counts a protected group, whatever its spelling', () => {
  const spellings: Record<string, string[]> = {
    'sub-addresses': ['all-staff+1@corp.example', 'all-staff+2@corp.example', 'all-staff+3@corp.example'],
    'sub-addresses in capitals': [
      'ALL-STAFF+a@corp.example',
      'All-Staff+b@CORP.example',
      'all-staff+c@corp.example.',
    ],
    'folded spellings': [
      '\uff41ll-staff@corp.example',
      'all-st\u00ADaff@corp.example',
      'all-\u017Ftaff@corp.example',
    ],
  };
  for (const [label, list] of Object.entries(spellings))
    it(`holds the group past the threshold when it is written as ${label}`, async () => {
      const send = await storm(2);
      const verdicts: string[] = [];
      for (const r of list) verdicts.push(String((await send([r])).verdict(r)));
      expect(verdicts.slice(0, 2)).toEqual(['DEFAULT', 'DEFAULT']);
      expect(verdicts[2]).toMatch(STORM);
    });

  it('a message naming the group twice (plain and sub-address) counts once and holds both spellings', async () => {
    const send = await storm(1);
    expect((await send(['all-staff@corp.example'])).verdict('all-staff@corp.example')).toBe('DEFAULT');
    const r = await send(['all-staff@corp.example', 'all-staff+x@corp.example', 'bob@corp.example']);
    expect(r.verdict('all-staff@corp.example')).toMatch(STORM);
    expect(r.verdict('all-staff+x@corp.example')).toMatch(STORM);
    expect(r.verdict('bob@corp.example')).toBe('DEFAULT');
  });

  it('benign: one message to the group and its sub-address under the threshold is delivered', async () => {
    const send = await storm(1);
    const r = await send(['all-staff@corp.example', 'all-staff+x@corp.example']);
    expect([r.verdict('all-staff@corp.example'), r.verdict('all-staff+x@corp.example')]).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
  });

  it('benign: other mailboxes whose names start alike are their own', async () => {
    const send = await storm(1);
    await send(['all-staff@corp.example']);
    for (const r of ['all-staff-news@corp.example', 'all@corp.example', 'staff@corp.example'])
      expect((await send([r])).verdict(r)).toBe('DEFAULT');
  });
});

describe('A103-2: an inbound recipient or pair limit counts the organization mailbox', () => {
  for (const key of ['recipient', 'pair'] as const)
    it(`${key}: sub-addresses and folded spellings of ceo@ share one counter`, async () => {
      const rule = await limiter(key, 2);
      const spellings = ['ceo+1@corp.example', 'CEO+2@corp.example', '\uff43eo@corp.example'];
      const verdicts: string[] = [];
      for (const r of spellings)
        verdicts.push(
          String((await runFlow([rule], { mailFrom: 'x@evil.example', recipients: [r] })).verdict(r)),
        );
      expect(verdicts.slice(0, 2)).toEqual(['DEFAULT', 'DEFAULT']);
      expect(verdicts[2]).toMatch(LIMIT);
    });

  it('benign: outbound, an outside recipient\u2019s sub-addresses stay apart (round 87)', async () => {
    const rule = await limiter('recipient', 1);
    const verdicts: string[] = [];
    for (const r of ['x+1@outside.example', 'x+2@outside.example'])
      verdicts.push(
        String(
          (
            await runFlow(
              [rule],
              { direction: 'OUTBOUND', mailFrom: 'alice@corp.example', recipients: [r] },
              { direction: 'OUTBOUND' },
            )
          ).verdict(r),
        ),
      );
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT']);
  });

  it('benign: inbound, two different mailboxes are counted apart', async () => {
    const rule = await limiter('recipient', 1);
    for (const r of ['ann@corp.example', 'bob@corp.example'])
      expect((await runFlow([rule], { mailFrom: 'x@evil.example', recipients: [r] })).verdict(r)).toBe(
        'DEFAULT',
      );
  });
});
