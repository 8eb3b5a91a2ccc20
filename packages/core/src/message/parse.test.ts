import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mimeAttached, mimeMultipart } from '../testing/mime.js';
import { DEFAULT_MESSAGE_LIMITS, MessageLimitError } from './limits.js';
import { parseMessage } from './parse.js';

const CRLF = '\r\n';
const mixed = mimeMultipart;
const attach = (entity: string) => mimeAttached(entity);
const nested = (levels: number) => {
  let entity = mixed('a0', [['Content-Type: text/plain', '', 'card 4111 1111 1111 1111'].join(CRLF)]);
  for (let i = 1; i <= levels; i++)
    entity = mixed(`a${i}`, [['Content-Type: text/plain', '', 'fw'].join(CRLF), attach(entity)]);
  return Readable.from([Buffer.from(`From: a@b.example\r\nSubject: s\r\nMIME-Version: 1.0\r\n${entity}`)]);
};

describe('parseMessage and attached messages', () => {
  it('reads attached messages three levels deep', async () => {
    const parsed = await parseMessage(nested(3), DEFAULT_MESSAGE_LIMITS);
    expect(parsed.attachments.filter((a) => a.contentType === 'message/rfc822').map((a) => a.depth)).toEqual([
      2, 1, 0,
    ]);
  });

  it('throws past what it reads instead of skipping it (not knowing is not allowing)', async () => {
    await expect(parseMessage(nested(4), DEFAULT_MESSAGE_LIMITS)).rejects.toThrow(MessageLimitError);
  });

  it('does not swallow a failure inside an attached message', async () => {
    const big = `X-Pad: ${'a'.repeat(4096)}`;
    const entity = mixed('o', [attach(mixed('i', [[big, 'Content-Type: text/plain', '', 'x'].join(CRLF)]))]);
    const stream = Readable.from([
      Buffer.from(`From: a@b.example\r\nSubject: s\r\nMIME-Version: 1.0\r\n${entity}`),
    ]);
    await expect(parseMessage(stream, { ...DEFAULT_MESSAGE_LIMITS, maxHeaderBytes: 2048 })).rejects.toThrow();
  });
});
