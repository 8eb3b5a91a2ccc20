import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { LazyMessage } from '../message/message.js';
import { makeSesEvent } from '../testing/ses-events.js';
import { ReceiptMessage } from './receipt-message.js';
import { checkSesOptions, type SesFlowOptions } from './settings.js';

// Attacker round 123: where the rules read the header block on SES (the guard-ses cases:
// functions/test/adversarial/attacker-round123-ses-stored-headers.test.ts).

const base: SesFlowOptions = { rules: [], stored: { bucket: 'inbound-mail' }, logger: console };
const stored = Buffer.from('From: Jane Doe <x@evil.example>\r\nSubject: hi\r\n\r\nbody\r\n');

function receipt(headerSource?: 'event' | 'stored'): { message: ReceiptMessage; reads: () => number } {
  let reads = 0;
  const lazy = new LazyMessage(async () => {
    reads += 1;
    return Readable.from([stored]);
  });
  const ses = makeSesEvent({ headers: [{ name: 'From', value: 'Ann <ann@partner.example>' }] }).Records[0]
    .ses;
  const message = new ReceiptMessage(lazy, ses, headerSource ? { headerSource } : {});
  return { message, reads: () => reads };
}

describe('A123: headerSource', () => {
  it('defaults to the event list and refuses another value', () => {
    expect(checkSesOptions(base).headerSource).toBe('event');
    expect(checkSesOptions({ ...base, headerSource: 'stored' }).headerSource).toBe('stored');
    expect(() => checkSesOptions({ ...base, headerSource: 'both' as never })).toThrow(ConfigError);
  });

  it('event (default): a whole ASCII list is read without touching S3', async () => {
    const { message, reads } = receipt();
    expect((await message.headers()).get('from')).toBe('Ann <ann@partner.example>');
    expect(reads()).toBe(0);
  });

  it('stored: the stored block is read, whatever the event lists', async () => {
    const { message } = receipt('stored');
    expect((await message.headers()).get('from')).toBe('Jane Doe <x@evil.example>');
  });
});
