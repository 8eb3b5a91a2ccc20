import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { expectStripped } from './strip-check.js';

// Attacker round 65, A65-6: a multipart/appledouble is one file to Apple Mail: its AppleDouble header (Finder info,
// the real name) and its data part. With ATTACHMENT_ACTION=strip, the guard removed the header whose real name is
// `invoice.js` and kept the data part, which is that script under a name the guard let pass (`invoice`, unnamed):
// the blocked file was delivered, only renamed. Both halves now go when either is refused.
const stack = useLocalStack();
const kit = attackerKit(stack);

const SCRIPT = 'WScript.Echo("wmflow-attacker-65-6")';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** The AppleDouble header of a file named `realName` (a real-name and a Finder-info entry). */
function doubleHeader(realName: string): Buffer {
  const name = Buffer.from(realName);
  const finder = Buffer.concat([Buffer.from('TEXTttxt', 'latin1'), Buffer.alloc(24)]);
  const head = Buffer.alloc(26 + 24);
  head.writeUInt32BE(0x00051607, 0);
  head.writeUInt32BE(0x00020000, 4);
  head.writeUInt16BE(2, 24);
  [
    [3, name],
    [9, finder],
  ].forEach(([id, data], i) => {
    head.writeUInt32BE(id as number, 26 + 12 * i);
    head.writeUInt32BE(i === 0 ? head.length : head.length + name.length, 30 + 12 * i);
    head.writeUInt32BE((data as Buffer).length, 34 + 12 * i);
  });
  return Buffer.concat([head, name, finder]);
}

/** A multipart/appledouble of a header named `realName` (the part named `headerName`) and the data part `data`. */
function appleDouble(realName: string, headerName: string, dataHeaders: string, data: Buffer): Buffer {
  const part = [
    'Content-Type: multipart/appledouble; boundary="d"',
    '',
    '--d',
    `Content-Type: application/applefile; name="${headerName}"`,
    'Content-Transfer-Encoding: base64',
    '',
    doubleHeader(realName).toString('base64'),
    '--d',
    dataHeaders,
    'Content-Transfer-Encoding: base64',
    '',
    data.toString('base64'),
    '--d--',
  ].join('\r\n');
  return mail([MIXED], withPart(part));
}

describe('A65-6: stripping an AppleDouble file takes both its halves', () => {
  const cases: Record<string, Buffer> = {
    'a header naming invoice.js, the script as a data part named invoice': appleDouble(
      'invoice.js',
      'invoice',
      'Content-Type: application/octet-stream; name="invoice"',
      Buffer.from(SCRIPT),
    ),
    'a header naming invoice.js, the script as a data part named invoice.pdf': appleDouble(
      'invoice.js',
      'invoice.pdf',
      'Content-Type: application/pdf; name="invoice.pdf"\r\nContent-Disposition: attachment; filename="invoice.pdf"',
      Buffer.from(SCRIPT),
    ),
  };
  for (const [name, message] of Object.entries(cases)) {
    it(`${name}: bounced at the defaults`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
    it(`${name}: stripped whole (ATTACHMENT_ACTION=strip)`, async () => {
      const { verdict, delivered } = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
      if (verdict === 'BOUNCE') return;
      expect(verdict).toBe('DEFAULT');
      expect(delivered.toString('latin1')).not.toContain(Buffer.from(SCRIPT).toString('base64').slice(0, 24));
      await expectStripped(message, delivered);
    });
  }
  it('(control) delivers a Mac-sent PDF as multipart/appledouble, untouched in strip mode', async () => {
    const message = appleDouble(
      'Report.pdf',
      'Report.pdf',
      'Content-Type: application/pdf; name="Report.pdf"',
      PDF,
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
    const { verdict, delivered } = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toContain(PDF.toString('base64').slice(0, 40));
  });
});
