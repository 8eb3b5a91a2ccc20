import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 74: a file name written in single quotes (`filename='invoice.vbs'`). RFC 2045 quotes with `"` only,
// so the walk read the name `'invoice.vbs'`, whose extension is `vbs'`, and delivered it; a parser that takes `'`
// for a quote as well (Chromium's header parser does: a webmail passing the header on to the browser) saves the
// file as `invoice.vbs`, which Windows runs on a double click.
const stack = useLocalStack();
const kit = attackerKit(stack);

const attached = (
  params: string,
  body: Buffer | string,
  type = 'application/octet-stream',
): [Buffer, string] => {
  const b64 = Buffer.from(body).toString('base64');
  const part = [
    `Content-Type: ${type}`,
    `Content-Disposition: attachment; ${params}`,
    'Content-Transfer-Encoding: base64',
    '',
    b64.replace(/.{76}/g, '$&\r\n'),
  ].join('\r\n');
  return [mail([MIXED], withPart(part)), b64.slice(0, 40)];
};

describe('A74-1: a file name in single quotes', () => {
  attachmentTests(kit, {
    "filename='invoice.vbs'": attached("filename='invoice.vbs'", script('74-1a')),
    "name='invoice.js' on Content-Type": [
      mail(
        [MIXED],
        withPart(
          `Content-Type: application/octet-stream; name='invoice.js'\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(script('74-1b')).toString('base64')}`,
        ),
      ),
      Buffer.from(script('74-1b')).toString('base64').slice(0, 40),
    ],
  });

  it('(control) delivers quoted benign names and names holding an apostrophe', async () => {
    for (const params of [
      "filename='report.pdf'",
      'filename="John\'s invoice.pdf"',
      'filename="\'Q4\' summary.txt"',
      'filename="\'notes\'.txt"',
    ])
      expect((await kit.inbound(attached(params, 'quarterly figures')[0])).verdict, params).toBe('DEFAULT');
  });
});
