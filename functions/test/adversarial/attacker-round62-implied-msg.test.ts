import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 62, A62-3: an Outlook item (`.msg`, an OLE file) carries attachments the walk does not list, so a
// part named `.msg` is refused unless ALLOW_UNLISTED_ARCHIVES (round 7). The same item sent without a name, or
// under a name without an extension, and declared `application/vnd.ms-outlook` was delivered: Outlook saves an
// unnamed part under the extension Windows maps its type to (ATT00001.msg; Thunderbird names it `Part 1.2.msg`),
// opens it as a message and offers the files inside it (an `invoice.js`).
const stack = useLocalStack();
const kit = attackerKit(stack);
// The start of an OLE compound file, as the round 7 `.msg` test sends it.
const OLE = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504, 0x20)]);
const BODY = OLE.toString('base64');
const part = (head: string): [Buffer, string] => [
  mail([MIXED], withPart(`${head}\r\nContent-Transfer-Encoding: base64\r\n\r\n${BODY}`)),
  BODY.slice(0, 40),
];

describe('A62-3: an Outlook item without a name (saved as ATT00001.msg)', () => {
  attachmentTests(kit, {
    'unnamed, attached': part('Content-Type: application/vnd.ms-outlook\r\nContent-Disposition: attachment'),
    'unnamed, no disposition': part('Content-Type: application/vnd.ms-outlook'),
    'unnamed, inline, the type in capitals': part(
      'Content-Type: Application/VND.MS-Outlook\r\nContent-Disposition: inline',
    ),
    'named without an extension': part(
      'Content-Type: application/vnd.ms-outlook; name="Invoice_Nov"\r\nContent-Disposition: attachment; filename="Invoice_Nov"',
    ),
  });
  it('(control) ALLOW_UNLISTED_ARCHIVES lets it through, as it does a part named .msg', async () => {
    const [message] = part('Content-Type: application/vnd.ms-outlook\r\nContent-Disposition: attachment');
    expect((await kit.inbound(message, { ALLOW_UNLISTED_ARCHIVES: 'true' })).verdict).toBe('DEFAULT');
  });
  it('(control) delivers an unnamed application/octet-stream part with the same bytes', async () => {
    const [message] = part('Content-Type: application/octet-stream\r\nContent-Disposition: attachment');
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
