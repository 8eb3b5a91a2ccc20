import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { flow } from '@wmflow/core';
import { captureLogger, lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockWireTransferRequests } from './wire-transfer-blocker.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.stop());

const handler = () =>
  flow({
    direction: 'INBOUND',
    rules: [blockWireTransferRequests],
    clients: { messageFlow: stack.messageFlow },
    logger: captureLogger(),
  });

async function verdictFor(message: Buffer, subject: string) {
  const messageId = stack.flow.load(message);
  const response = await handler()(makeFlowEvent({ messageId, subject }), lambdaContext());
  return response?.actions[0]?.action.type;
}

describe('sample: wire-transfer blocker', () => {
  it('drops a message whose subject asks for an urgent wire transfer', async () => {
    const eml = await readFile(join(import.meta.dirname, '../eml/05-ceo-impersonation.eml'));
    expect(await verdictFor(eml, 'URGENT WIRE TRANSFER')).toBe('DROP');
  });

  it('drops a message that asks for it only in the body', async () => {
    const eml = Buffer.from(
      'From: a@partner.example\r\nSubject: Quick favour\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\nPlease make an urgent wire transfer today.\r\n',
    );
    expect(await verdictFor(eml, 'Quick favour')).toBe('DROP');
  });

  it('delivers ordinary mail', async () => {
    const eml = await readFile(join(import.meta.dirname, '../eml/01-plain-text.eml'));
    expect(await verdictFor(eml, 'Release notes for 4.2')).toBe('DEFAULT');
  });
});
