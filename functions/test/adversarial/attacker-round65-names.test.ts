import { packagedFile, rtfWithObject } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 65.
// A65-4: Word opens a file starting `{\rt` as RTF whatever its name, and skips a UTF-8 byte order mark before it
// (a `.doc` saved by a UTF-8 editor). The guard took a file for RTF only when `{\rt` came first: a BOM before it
// hid the packaged script the document shows as an icon.
// A65-5: `invoice%2Evbs` in a plain `filename=` (no RFC 2231 `*`): a client that percent-decodes the parameter
// (webmail download links, clients decoding it as if it were RFC 2231) shows and saves `invoice.vbs`. The guard
// judged the name as written (no extension). Each spelling now counts, the name decoded once too.
const stack = useLocalStack();
const kit = attackerKit(stack);

const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const BOM = '\ufeff';

/** A plain-text part named by `params` (Content-Type parameters) and `disposition`, holding `content`. */
function named(params: string, disposition: string, content: string): [Buffer, string] {
  const body = Buffer.from(content).toString('base64');
  const part = `Content-Type: application/octet-stream${params}\r\nContent-Disposition: attachment${disposition}\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`;
  return [mail([MIXED], withPart(part)), body.slice(0, 40)];
}

describe('A65-4: an RTF document after a UTF-8 byte order mark', () => {
  attachmentTests(kit, {
    'invoice.doc packaging invoice.vbs': attachedFile(
      'invoice.doc',
      Buffer.from(BOM + rtfWithObject('Package', packagedFile('invoice.vbs', vbs))),
      'application/msword',
    ),
    'invoice.rtf packaging invoice.vbs': attachedFile(
      'invoice.rtf',
      Buffer.from(BOM + rtfWithObject('Package', packagedFile('invoice.vbs', vbs))),
      'application/rtf',
    ),
  });
  it('(control) delivers an RTF letter after a byte order mark, named .doc', async () => {
    const rtf = Buffer.from(
      `${BOM}{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Dear customer,\\par See you soon.\\par}`,
    );
    expect((await kit.inbound(attachedFile('letter.doc', rtf, 'application/msword')[0])).verdict).toBe(
      'DEFAULT',
    );
  });
});

describe('A65-5: a name percent-encoded in a plain parameter', () => {
  attachmentTests(kit, {
    'filename="invoice%2Evbs"': named('', '; filename="invoice%2Evbs"', 'MsgBox 1'),
    'name="invoice%2ejs" (lower-case hex)': named('; name="invoice%2ejs"', '', 'WScript.Echo(1)'),
    'filename="invoice.pdf%2Ehta"': named('', '; filename="invoice.pdf%2Ehta"', '<script>close()</script>'),
  });
  it('(control) delivers files whose names hold percent signs and escapes of harmless characters', async () => {
    for (const name of ['report%20final.pdf', '100% done.txt', 'budget%2Exlsx', 'notes%ZZ.txt']) {
      const [message] = named('', `; filename="${name}"`, 'hello');
      expect((await kit.inbound(message)).verdict, name).toBe('DEFAULT');
    }
  });
});
