import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent, tnefStream } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { message, multipart, TEXT } from './hostile-build.js';
import { tnefPart } from './hostile-tnef.js';
import { useLocalStack } from './stack.js';

// The other side of the TNEF cases of hostile-tnef.ts: rich-text Outlook mail with harmless files inside is
// delivered as it is, in both attachment modes.

const stack = useLocalStack();
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');

describe('TNEF (winmail.dat) with harmless files inside', () => {
  const winmail = tnefPart(
    tnefStream([
      { title: 'KITTEN~1.JPG', longName: 'kitten.jpg', extension: '.jpg', data: JPEG },
      { message: [{ title: 'AGENDA.PDF', longName: 'agenda.pdf', data: PDF }] },
    ]),
  );
  for (const mode of ['bounce', 'strip']) {
    it(`is delivered with its winmail.dat (ATTACHMENT_ACTION=${mode})`, async () => {
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: 'updates',
        ATTACHMENT_ACTION: mode,
      });
      const messageId = stack().flow.load(message(multipart('b', [TEXT, winmail.part])));
      const event = makeFlowEvent({
        messageId,
        mailFrom: 'x@partner.example',
        recipients: ['bob@corp.example'],
      });
      const response = (await handler(event, lambdaContext())) as FlowResponse;
      const verdict = readResponse(response, ['bob@corp.example'], 'INBOUND').verdicts.get(
        'bob@corp.example',
      );
      expect(verdict?.type).toBe('DEFAULT');
      // Tagged as external mail, but the winmail.dat part is still there.
      const delivered = stack().flow.history(messageId).at(-1)?.content ?? Buffer.alloc(0);
      expect(delivered.toString('latin1')).toContain(winmail.payload);
    });
  }
});
