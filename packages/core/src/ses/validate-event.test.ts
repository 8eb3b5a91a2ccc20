import { describe, expect, it } from 'vitest';
import { EventValidationError } from '../errors.js';
import { makeSesEvent } from '../testing/ses-events.js';
import { parseSesEvent } from './validate-event.js';

// biome-ignore lint/suspicious/noExplicitAny: spoiling a parsed event field by field
type E = any;
const good = (): E => JSON.parse(JSON.stringify(makeSesEvent({ recipients: ['a@corp.example'] })));

describe('ses: parseSesEvent', () => {
  it('returns the record’s mail and receipt', () => {
    const e = good();
    expect(parseSesEvent(e)).toEqual(e.Records[0].ses);
  });

  it.each([
    ['$', () => {}],
    [
      'Records',
      (e: E) => {
        e.Records = [];
      },
    ],
    [
      'Records[0].eventSource',
      (e: E) => {
        e.Records[0].eventSource = 'aws:s3';
      },
    ],
    [
      'ses.mail.messageId',
      (e: E) => {
        e.Records[0].ses.mail.messageId = '../etc';
      },
    ],
    [
      'ses.mail.source',
      (e: E) => {
        e.Records[0].ses.mail.source = 7;
      },
    ],
    [
      'ses.mail.destination',
      (e: E) => {
        e.Records[0].ses.mail.destination = 'a';
      },
    ],
    [
      'ses.mail.headers',
      (e: E) => {
        e.Records[0].ses.mail.headers = {};
      },
    ],
    [
      'ses.mail.headers[0].value',
      (e: E) => {
        e.Records[0].ses.mail.headers[0].value = 1;
      },
    ],
    [
      'ses.receipt.recipients',
      (e: E) => {
        e.Records[0].ses.receipt.recipients = [];
      },
    ],
    [
      'ses.receipt.recipients[0]',
      (e: E) => {
        e.Records[0].ses.receipt.recipients = [1];
      },
    ],
    [
      'ses.receipt.virusVerdict.status',
      (e: E) => {
        e.Records[0].ses.receipt.virusVerdict.status = 'BAD';
      },
    ],
    [
      'ses.receipt.spamVerdict',
      (e: E) => {
        e.Records[0].ses.receipt.spamVerdict = 'PASS';
      },
    ],
  ])('names the bad field: %s', (path, spoil) => {
    const event = good();
    spoil(event);
    try {
      parseSesEvent(path === '$' ? null : event);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EventValidationError);
      expect((error as EventValidationError).path).toBe(path);
    }
  });
});
