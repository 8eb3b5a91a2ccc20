import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeSesEvent } from '../testing/ses-events.js';
import { receiptVerdicts } from './receipt-message.js';
import { checkStoredIdentity, StoredMessageMismatchError } from './stored-identity.js';
import { parseSesEvent } from './validate-event.js';

// Attacker round 80, the SES engine's own parts (the guard-ses cases: functions/test/adversarial/
// attacker-round80-ses-twin.test.ts).

// biome-ignore lint/suspicious/noExplicitAny: removing a field from a built event
type E = any;

describe('A80-4: a receipt without a verdict is read as one without that verdict (DISABLED)', () => {
  it('parses it, the verdict DISABLED, the event itself unchanged', () => {
    const event: E = JSON.parse(JSON.stringify(makeSesEvent({ verdicts: { spam: 'FAIL' } })));
    delete event.Records[0].ses.receipt.dmarcVerdict;
    event.Records[0].ses.receipt.virusVerdict = null;
    const { receipt } = parseSesEvent(event);
    expect(receipt.dmarcVerdict).toEqual({ status: 'DISABLED' });
    expect(receipt.virusVerdict).toEqual({ status: 'DISABLED' });
    expect(receipt.spamVerdict).toEqual({ status: 'FAIL' });
    expect(event.Records[0].ses.receipt.dmarcVerdict).toBeUndefined();
    const v = receiptVerdicts(receipt);
    expect(v.dmarc).toBeUndefined();
    expect(v.sesVirus).toBeUndefined();
    expect(v.sesSpam).toBe('FAIL');
  });
  it('still refuses a verdict that is there and unreadable (control)', () => {
    const event: E = JSON.parse(JSON.stringify(makeSesEvent()));
    event.Records[0].ses.receipt.dkimVerdict = { status: 'MAYBE' };
    expect(() => parseSesEvent(event)).toThrow(/dkimVerdict\.status/);
  });
});

async function read(bytes: Buffer, expected: string): Promise<string | Error> {
  const checked = checkStoredIdentity(
    Object.assign(Readable.from([bytes]), { contentLength: bytes.length }),
    expected,
    's3://b/k',
    1024,
  );
  const out: Buffer[] = [];
  try {
    for await (const chunk of checked) out.push(chunk as Buffer);
    return Buffer.concat(out).toString('latin1');
  } catch (error) {
    return error as Error;
  }
}

describe('A80-2: a Message-ID past ASCII is the receipt’s, however SES decoded it', () => {
  const stored = (id: Buffer) =>
    Buffer.concat([Buffer.from('From: a@b.example\r\nMessage-ID: '), id, Buffer.from('\r\n\r\nbody\r\n')]);
  const utf8 = stored(Buffer.from('<café@evil.example>'));
  const latin1 = stored(
    Buffer.concat([Buffer.from('<caf'), Buffer.from([0xe9]), Buffer.from('@evil.example>')]),
  );
  it('matches the UTF-8 id SES decoded, and a byte SES could not decode (U+FFFD)', async () => {
    expect(await read(utf8, '<café@evil.example>')).toBe(utf8.toString('latin1'));
    expect(await read(latin1, '<caf\ufffd@evil.example>')).toBe(latin1.toString('latin1'));
  });
  it('still refuses another message (control)', async () => {
    expect(await read(utf8, '<cafe@evil.example>')).toBeInstanceOf(StoredMessageMismatchError);
    expect(await read(utf8, '<thé@evil.example>')).toBeInstanceOf(StoredMessageMismatchError);
  });
});
