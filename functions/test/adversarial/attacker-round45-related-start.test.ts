import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A45-4: the root of a multipart/related was read from a plain `start` only. In RFC 2231 form
// (`start*=''%3Cp2%40x%3E`, `start*0=…; start*1=…`) it was not seen, so the first part was taken for the body
// (unscanned) while a client that decodes RFC 2231 shows part 2 and lists the scripted part 1 as a file; and
// `start="<>"` made every part without a Content-ID a root, so an unnamed scripted part went unscanned.
const stack = useLocalStack();
const kit = attackerKit(stack);
const dir = `${import.meta.dirname}/fixtures/round45/A45-4-related-start`;

describe('A45-4: a multipart/related start in RFC 2231 form, or empty', () => {
  for (const f of ['start-2231', 'start-2231-cont', 'start-empty-brackets'])
    it(`bounces ${f}`, async () => {
      expect((await kit.inbound(readFileSync(`${dir}/${f}.eml`))).verdict).toBe('BOUNCE');
    });

  it('delivers a page whose RFC 2231 start names it, with the picture it shows', async () => {
    const mail = [
      'From: Billing <billing@partner.example>',
      'To: bob@corp.example',
      'Subject: Invoice',
      'MIME-Version: 1.0',
      `Content-Type: multipart/related; type="text/html"; start*=''%3Cpage%40x%3E; boundary=q`,
      '',
      '--q',
      'Content-Type: image/png',
      'Content-ID: <logo@x>',
      'Content-Transfer-Encoding: base64',
      '',
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      '--q',
      'Content-Type: text/html',
      'Content-ID: <page@x>',
      '',
      '<p>Please find the invoice below.</p><img src="cid:logo@x">',
      '--q--',
      '',
    ].join('\r\n');
    expect((await kit.inbound(Buffer.from(mail))).verdict).toBe('DEFAULT');
  });
});
