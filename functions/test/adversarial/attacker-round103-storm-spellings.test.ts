import { describe, expect, it } from 'vitest';
import { guardRateSender, storm } from './guard-rate-send.js';
import { useLocalStack } from './stack.js';

// Attacker round 103: the guard's mail-storm stopper (STORM_GROUPS) and its inbound `recipient` / `pair` rate limits
// counted each spelling of an organization mailbox apart. The group is matched with its sub-addresses and folded
// spellings (`all-staff+1@`, `ALL-STAFF@`, `ａll-staff@`: the organization's server delivers them to the group, rounds 47
// and 75), but each spelling had its own counter, so an outside sender writing `all-staff+1@`, `all-staff+2@`, …
// reached the whole staff past STORM_THRESHOLD, and `ceo+1@`, `ceo+2@` past a per-recipient limit. Inbound, the
// counter is now the mailbox (packages/rules/src/rate/mail-storm.ts, keys.ts).
const stack = useLocalStack();
const send = guardRateSender(stack, 'r103');

describe('A103-1: STORM_GROUPS counts the group, whatever spelling the sender writes', () => {
  const cases: Record<string, (local: string) => string[]> = {
    'sub-addresses': (g) => [`${g}+1@corp.example`, `${g}+2@corp.example`, `${g}+3@corp.example`],
    'sub-addresses in capitals, a trailing dot': (g) => [
      `${g.toUpperCase()}+a@corp.example`,
      `${g}+b@CORP.EXAMPLE`,
      `${g}+c@corp.example.`,
    ],
    'the plain address, then sub-addresses': (g) => [
      `${g}@corp.example`,
      `${g}+x@corp.example`,
      `${g}+y@corp.example`,
    ],
    'full-width and soft-hyphen spellings': (g) => [
      `${g}@corp.example`,
      `\uff41${g.slice(1)}@corp.example`,
      `${g.slice(0, 2)}\u00AD${g.slice(2)}@corp.example`,
    ],
  };
  let i = 0;
  for (const [label, spellings] of Object.entries(cases)) {
    const group = `all-staff${i++}`;
    it(`bounces the third message to ${label}`, async () => {
      const env = storm(`${group}@corp.example`);
      const verdicts = [];
      for (const r of spellings(group)) verdicts.push((await send(env, [r]))[0]);
      expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', 'BOUNCE']);
    });
  }
});

describe('A103-2: an inbound per-recipient limit counts the mailbox', () => {
  it('ceo+1@, ceo+2@, CEO+3@ share one counter (RATE_LIMITS key recipient)', async () => {
    const env = {
      RATE_LIMITS: JSON.stringify([{ key: 'recipient', limit: 2, window: '1h', action: 'junk' }]),
    };
    const verdicts = [];
    for (const r of ['ceo1+1@corp.example', 'ceo1+2@corp.example', 'CEO1+3@corp.example'])
      verdicts.push((await send(env, [r]))[0]);
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', 'MOVE_TO_JUNK']);
  });
});

describe('A103 benign controls', () => {
  it('mail to other mailboxes beside a held group is delivered', async () => {
    const env = storm('all-hands@corp.example');
    for (let k = 0; k < 2; k++) await send(env, ['all-hands@corp.example']);
    expect(
      await send(env, ['all-hands+z@corp.example', 'bob@corp.example', 'all-hands-news@corp.example']),
    ).toEqual(['BOUNCE', 'DEFAULT', 'DEFAULT']);
  });
  it('a mailing list writing one VERP sender a message, under the threshold, is delivered', async () => {
    const env = storm('announce@corp.example');
    expect(await send(env, ['announce@corp.example'], 'bounce+1001@list.example')).toEqual(['DEFAULT']);
    expect(await send(env, ['announce+digest@corp.example'], 'bounce+1002@list.example')).toEqual([
      'DEFAULT',
    ]);
  });
  it('one message to the group and its sub-address counts once', async () => {
    const env = storm('team@corp.example');
    expect(await send(env, ['team@corp.example', 'team+x@corp.example'])).toEqual(['DEFAULT', 'DEFAULT']);
    expect(await send(env, ['team+y@corp.example'])).toEqual(['DEFAULT']);
  });
});
