// Fault round 39 (session 30): a rewrite changed bytes no edit touches. After a multipart's closing boundary, RawRepair keeps the
// transfer encoding of the part before it: when that part was base64, every epilogue line is "repaired" as a
// base64 line (characters outside the base64 alphabet dropped, lines re-wrapped). A mailing list's footer after
// the closing boundary loses its spaces, dots, @ and underscores in the message WorkMail delivers.
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { firstAction, invoke, startFaultStack, UPDATES } from './fault-harness.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(3);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const EPILOGUE =
  '_______________________________________________\r\nTeam mailing list\r\nteam@lists.partner.example\r\nhttps://lists.partner.example/listinfo/team\r\n';
const message = Buffer.from(
  [
    'From: Ann <ann@partner.example>',
    'To: bob@corp.example',
    'Subject: minutes',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Message-ID: <f3-epilogue@partner.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Minutes attached.',
    '--b1',
    'Content-Type: application/pdf; name="minutes.pdf"',
    'Content-Disposition: attachment; filename="minutes.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('%PDF-1.7\n%%EOF\n').toString('base64'),
    '--b1--',
    '',
  ].join('\r\n') + EPILOGUE,
  'latin1',
);

describe('F39-3: the epilogue after a base64 part', () => {
  it('guard tag-external: the delivered message keeps the epilogue bytes as they were', async () => {
    const id = stack.flow.load(message);
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const { response, error } = await invoke(handler, event);
    expect(error).toBeUndefined();
    expect(firstAction(response)).toBe('DEFAULT');
    const history = stack.flow.history(id);
    expect(history.length, 'the tag was committed').toBe(2);
    const out = history.at(-1)?.content.toString('latin1') ?? '';
    const tail = out.slice(out.lastIndexOf('--b1--'));
    expect(tail).toBe(`--b1--\r\n${EPILOGUE}`);
  }, 30_000);
});
