import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP, attacker round 30 (#1, #9–#11, #13): an RTF file whose number Word and LibreOffice show whole,
// broken for the reader by a letter they do not show: squeezed to 1 % (`\charscalex1`), hidden by a character
// style, the colour of the paragraph shading or of the page background, white on a `\cb` they ignore, or the
// colour of its own highlight. And an RTF of plain text in a colour table or after `\ucN` no longer takes
// quadratic time: it answered after WorkMail's 15 s, so the message was delivered.

const stack = useLocalStack();
const kit = attackerKit(stack);

// Colours 1 black, 2 yellow, 3 white.
const HEAD =
  '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;\\red255\\green255\\blue0;\\red255\\green255\\blue255;}';
const rtf = (body: string) => Buffer.from(`${HEAD}${body}\\par}`);
const send = (body: string) => kit.outbound(outboundFile('card.rtf', rtf(body), 'application/rtf'));

describe('attacker round 30: RTF read as shown (outbound-policy)', () => {
  const CASES: Record<string, string> = {
    'a letter squeezed to 1 %': '\\f0\\fs24 Card: 4111 1111{\\charscalex1 x} 1111 1111',
    'a letter hidden by its character style':
      '{\\stylesheet{\\s0 Normal;}{\\*\\cs15\\v\\additive Hid;}}\\f0\\fs24 Card: 4111 1111{\\cs15 x} 1111 1111',
    'a black letter on black paragraph shading':
      '\\f0\\fs24\\pard\\cbpat1\\cfpat1\\shading10000{\\cf3 Card: 4111 1111}{\\cf1 x}{\\cf3  1111 1111}',
    'a black letter on a black page background':
      '\\viewbksp1{\\*\\background{\\shp{\\*\\shpinst{\\sp{\\sn shapeType}{\\sv 1}}{\\sp{\\sn fillColor}{\\sv 0}}{\\sp{\\sn fFilled}{\\sv 1}}}}}\\f0\\fs24{\\cf3 Card: 4111 1111}{\\cf1 x}{\\cf3  1111 1111}',
    'a white letter on a \\cb that Word and LibreOffice ignore':
      '\\f0\\fs24 Card: 4111 1111{\\cf3\\cb1 x} 1111 1111',
    'a black letter on a black highlight': '\\f0\\fs24 Card: 4111 1111{\\cf1\\highlight1 x} 1111 1111',
  };
  for (const [name, body] of Object.entries(CASES)) {
    it(`bounces ${name}`, async () => {
      expect(await send(body)).toBe('BOUNCE');
    });
  }

  // Read whole before the deadline: the bounce is for the card found, not for a file left unread (the work's
  // growth is measured by bench:linear, never timed here).
  const foundCard = async (body: string) => {
    const verdict = await kit.outboundVerdict(outboundFile('card.rtf', rtf(body), 'application/rtf'));
    return verdict?.type === 'BOUNCE' ? verdict.message : verdict?.type;
  };

  it('bounces a card after 200 kB of plain text in a colour table, for the card', async () => {
    const body = `{\\colortbl;${'ab;'.repeat(70_000)}}Card: 4111 1111 1111 1111`;
    expect(await foundCard(body)).toMatch(/contains payment card/);
  }, 30_000);

  it('bounces a card after 200 kB of text skipped as \\uN fallbacks, for the card', async () => {
    const body = `{\\uc999999999\\u52 ${'ab '.repeat(70_000)}}Card: 4111 1111 1111 1111`;
    expect(await foundCard(body)).toMatch(/contains payment card/);
  }, 30_000);

  it('sends RTF with shading, highlights, styles and a page colour that hide no card', async () => {
    const body =
      '{\\stylesheet{\\s0 Normal;}{\\*\\cs15\\b Strong;}}\\viewbksp1{\\*\\background{\\shp{\\*\\shpinst{\\sp{\\sn fillColor}{\\sv 0}}}}}' +
      '\\pard\\cbpat1{\\cf3 Invoice 2291}{\\cs15\\cf3  due 12 May}{\\cf1\\highlight2  total 410.50}{\\charscalex80  EUR}';
    expect(await send(body)).toBe('DEFAULT');
  });
});
