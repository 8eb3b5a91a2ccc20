import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-4: a multipart in quoted-printable (which MIME forbids): the walk reads its parts as written, a client that
// decodes the multipart first reads `=34111` as 4111. Outbound, the DLP cannot say what the recipient sees.
const stack = useLocalStack();
const kit = attackerKit(stack);
const HEAD = [
  'From: Bob <bob@corp.example>',
  'To: x@outside.example',
  'Subject: numbers',
  'MIME-Version: 1.0',
].join('\r\n');
const multipart = (encoding: string, card: string) =>
  Buffer.from(
    `${HEAD}\r\nContent-Type: multipart/mixed; boundary=q\r\n${encoding}\r\n` +
      `--q\r\nContent-Type: text/plain\r\n\r\nhi\r\n--q\r\nContent-Type: text/plain\r\n\r\nCard ${card}\r\n--q--\r\n`,
  );

describe('A44-4: a quoted-printable multipart', () => {
  it('refuses a card written in quoted-printable only at the multipart level', async () => {
    const qp = multipart('Content-Transfer-Encoding: quoted-printable\r\n', '=34111 =31111 =31111 =31111');
    expect(await kit.outbound(qp)).toBe('BOUNCE');
  });
  it('sends the same message without the multipart encoding (control)', async () => {
    expect(await kit.outbound(multipart('', 'number 12'))).toBe('DEFAULT');
  });
});
