import { describe, expect, it } from 'vitest';
import { EventValidationError } from '../errors.js';
import { makeFlowEvent } from '../testing/events.js';
import { parseFlowEvent } from './validate-event.js';

function withField(path: string[], value: unknown): Record<string, unknown> {
  const event = structuredClone(makeFlowEvent()) as unknown as Record<string, unknown>;
  let node = event as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return event;
}

describe('parseFlowEvent', () => {
  it('accepts a WorkMail event and keeps unknown fields', () => {
    const input = { ...makeFlowEvent({ direction: 'OUTBOUND', sender: 'boss@corp.example' }), extra: 1 };
    const event = parseFlowEvent(input);
    expect(event.flowDirection).toBe('OUTBOUND');
    expect(event.sender?.address).toBe('boss@corp.example');
    expect((event as unknown as { extra: number }).extra).toBe(1);
  });

  it('defaults a missing truncated flag to false and surfaces true', () => {
    expect(parseFlowEvent(withField(['truncated'], undefined)).truncated).toBe(false);
    expect(parseFlowEvent(withField(['truncated'], true)).truncated).toBe(true);
  });

  it('accepts the null sender of bounces', () => {
    expect(parseFlowEvent(withField(['envelope', 'mailFrom', 'address'], '')).envelope.mailFrom.address).toBe(
      '',
    );
  });

  it.each<[string, string[], unknown, string]>([
    ['not an object', [], null, '$'],
    ['missing summaryVersion', ['summaryVersion'], undefined, 'summaryVersion'],
    ['too old summaryVersion', ['summaryVersion'], '2017-01-01', 'summaryVersion'],
    ['non-date summaryVersion', ['summaryVersion'], 'v2', 'summaryVersion'],
    ['unknown direction', ['flowDirection'], 'SIDEWAYS', 'flowDirection'],
    ['lower-case direction', ['flowDirection'], 'inbound', 'flowDirection'],
    ['missing envelope', ['envelope'], undefined, 'envelope'],
    ['envelope as array', ['envelope'], [], 'envelope'],
    ['missing mailFrom', ['envelope', 'mailFrom'], undefined, 'envelope.mailFrom'],
    ['mailFrom as string', ['envelope', 'mailFrom'], 'a@b.c', 'envelope.mailFrom'],
    ['mailFrom without @', ['envelope', 'mailFrom', 'address'], 'nobody', 'envelope.mailFrom.address'],
    ['recipients not an array', ['envelope', 'recipients'], { address: 'a@b.c' }, 'envelope.recipients'],
    ['no recipients', ['envelope', 'recipients'], [], 'envelope.recipients'],
    ['recipient without address', ['envelope', 'recipients'], [{}], 'envelope.recipients[0].address'],
    [
      'recipient with angle brackets',
      ['envelope', 'recipients'],
      [{ address: '<a@b.c>' }],
      'envelope.recipients[0].address',
    ],
    ['recipient number', ['envelope', 'recipients'], [{ address: 'a@b.c' }, 7], 'envelope.recipients[1]'],
    ['sender as string', ['sender'], 'a@b.c', 'sender'],
    ['subject number', ['subject'], 42, 'subject'],
    ['missing messageId', ['messageId'], undefined, 'messageId'],
    ['messageId with path', ['messageId'], '../../etc', 'messageId'],
    ['messageId upper case', ['messageId'], 'ABC', 'messageId'],
    ['empty invocationId', ['invocationId'], '', 'invocationId'],
    ['truncated string', ['truncated'], 'yes', 'truncated'],
  ])('rejects %s with a typed error naming the path', (_label, path, value, expectedPath) => {
    const input = path.length === 0 ? value : withField(path, value);
    let caught: unknown;
    try {
      parseFlowEvent(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EventValidationError);
    expect((caught as EventValidationError).path).toBe(expectedPath);
    expect((caught as Error).message).toContain(`invalid flow event at ${expectedPath}: expected`);
  });

  it.each([
    '"a b"@evil.example',
    '"a\\"b@c"@corp.example',
    'user@[192.0.2.1]',
    'user@[IPv6:2001:db8::1]',
    '用户@例子.广告',
    'jörg@bücher.example',
    "o'brien+tag@corp.example.",
  ])('accepts the RFC 5321/6531 envelope address %s', (address) => {
    const input = withField(['envelope', 'recipients'], [{ address }]);
    (input.envelope as { mailFrom: { address: string } }).mailFrom.address = address;
    expect(parseFlowEvent(input).envelope.recipients[0]?.address).toBe(address);
  });

  it.each([
    'a b@corp.example',
    '"unterminated@corp.example',
    'x@corp.example\r\nBcc: y@evil.example',
    '"a\u0000"@corp.example',
    'a..b@corp.example',
    'user@[300.1.1.1]',
    'user@',
    '@corp.example',
  ])('rejects the non-address %j', (address) => {
    const input = withField(['envelope', 'recipients'], [{ address }]);
    expect(() => parseFlowEvent(input)).toThrow(EventValidationError);
  });

  it('accepts an empty recipient list only when truncated', () => {
    const input = withField(['envelope', 'recipients'], []);
    input.truncated = true;
    expect(parseFlowEvent(input).envelope.recipients).toEqual([]);
  });
});
