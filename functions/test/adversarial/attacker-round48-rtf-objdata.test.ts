import { packagedFile, rtfWithObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A48-1: an RTF control word may carry a numeric parameter whatever the word (RTF 1.9.1, "Control words":
// `\LetterSequence<Delimiter>` where the delimiter may be a numeric parameter, which a reader that does not use it
// ignores). Word reads `{\*\objdata00 0105…}` as `\objdata` with parameter 00 and the data after the space, and
// shows and opens the package as usual. rtf-objects.ts takes the text right after `\objdata` as hex: the
// parameter's digits are read as data, the OLE 1 header is read two nibbles/one byte off, its FormatID is not 2, so
// the object is taken as a linked one (no data) and skipped: the guard lists nothing, the DLP reads nothing.
const stack = useLocalStack();
const kit = attackerKit(stack);
const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const withParameter = (rtf: string, parameter: string) =>
  rtf.replace('\\objdata\r\n', `\\objdata${parameter} `);

describe('A48-1: \\objdata with a numeric parameter', () => {
  for (const parameter of ['00', '0000', '12']) {
    it(`guard bounces an .rtf packaging invoice.vbs under \\objdata${parameter}`, async () => {
      const rtf = withParameter(rtfWithObject('Package', packagedFile('invoice.vbs', vbs)), parameter);
      expect(rtf).toContain(`\\objdata${parameter} 01050000`);
      expect((await kit.inbound(attachedFile('Invoice.rtf', Buffer.from(rtf))[0])).verdict).toBe('BOUNCE');
    });
  }
  it('outbound-policy bounces an .rtf packaging a card file under \\objdata00', async () => {
    const cards = Buffer.from('Card: 4111 1111 1111 1111 exp 12/29\r\n');
    const rtf = withParameter(rtfWithObject('Package', packagedFile('cards.txt', cards)), '00');
    expect(await kit.outbound(outboundFile('Invoice.rtf', Buffer.from(rtf)))).toBe('BOUNCE');
    const zipped = zipFile([{ name: 'cards.txt', data: cards.toString('latin1') }]);
    const rtf2 = withParameter(rtfWithObject('Package', packagedFile('cards.zip', zipped)), '00');
    expect(await kit.outbound(outboundFile('Invoice.rtf', Buffer.from(rtf2)))).toBe('BOUNCE');
  });
  it('(control) the same objects without the parameter are caught', async () => {
    const rtf = rtfWithObject('Package', packagedFile('invoice.vbs', vbs));
    expect((await kit.inbound(attachedFile('Invoice.rtf', Buffer.from(rtf))[0])).verdict).toBe('BOUNCE');
  });
});
