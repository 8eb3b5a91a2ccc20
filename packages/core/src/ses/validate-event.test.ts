import { describe, expect, it } from 'vitest';
import { EventValidationError } from '../errors.js';
import { makeSesEvent } from '../testing/ses-events.js';
import { parseSesEvent } from './validate-event.js';

const good = () => JSON.parse(JSON.stringify(makeSesEvent({ recipients: ['a@corp.example'] })));

describe('ses: parseSesEvent', () => {
  it('returns the record’s mail and receipt', () => {
    const e = good();
    expect(parseSesEvent(e)).toEqual(e.Records[0].ses);
  });

  it.each([
    ['$', () => null],
    ['Records', (e: ReturnType<typeof good>) => ({ ...e, Records: [] })],
    ['Records[0].eventSource', (e: ReturnType<typeof good>) => ((e.Records[0].eventSource = 'aws:s3'), e)],
    ['ses.mail.messageId', (e: ReturnType<typeof good>) => ((e.Records[0].ses.mail.messageId = '../etc'), e)],
    ['ses.mail.source', (e: ReturnType<typeof good>) => ((e.Records[0].ses.mail.source = 7), e)],
    ['ses.mail.destination', (e: ReturnType<typeof good>) => ((e.Records[0].ses.mail.destination = 'a'), e)],
    ['ses.mail.headers', (e: ReturnType<typeof good>) => ((e.Records[0].ses.mail.headers = {}), e)],
    [
      'ses.mail.headers[0].value',
      (e: ReturnType<typeof good>) => ((e.Records[0].ses.mail.headers[0].value = 1), e),
    ],
    [
      'ses.receipt.recipients',
      (e: ReturnType<typeof good>) => ((e.Records[0].ses.receipt.recipients = []), e),
    ],
    [
      'ses.receipt.recipients[0]',
      (e: ReturnType<typeof good>) => ((e.Records[0].ses.receipt.recipients = [1]), e),
    ],
    [
      'ses.receipt.virusVerdict.status',
      (e: ReturnType<typeof good>) => ((e.Records[0].ses.receipt.virusVerdict.status = 'BAD'), e),
    ],
    [
      'ses.receipt.spamVerdict',
      (e: ReturnType<typeof good>) => ((e.Records[0].ses.receipt.spamVerdict = 'PASS'), e),
    ],
  ])('names the bad field: %s', (path, spoil) => {
    try {
      parseSesEvent(spoil(good()));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EventValidationError);
      expect((error as EventValidationError).path).toBe(path);
    }
  });
});
