import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP, attacker round 29 (#6): an RTF file whose number Word and LibreOffice show whole, broken for the
// reader by a letter they do not show: hidden text (`{\v x}`), an ignorable destination (`{\*\foo x}`), the
// `\ucN` fallback characters after `\uN`, white or tiny text. The RTF is also read as shown now.

const stack = useLocalStack();
const kit = attackerKit(stack);

const HEAD =
  '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red255\\green255\\blue255;\\red0\\green0\\blue0;}\\f0\\fs24 ';
const rtf = (body: string) => Buffer.from(`${HEAD}${body}\\par}`);
const send = (body: string, name = 'card.rtf', type = 'application/rtf') =>
  kit.outbound(outboundFile(name, rtf(body), type));

describe('attacker round 29: RTF read as shown (outbound-policy)', () => {
  const CASES: Record<string, string> = {
    'hidden text between two groups': 'Card: 4111 1111{\\v x} 1111 1111',
    'hidden text switched off with \\v0': 'Card: 4111 1111\\v x\\v0  1111 1111',
    'an ignorable destination between two groups': 'Card: 4111 1111{\\*\\wmflowjunk x} 1111 1111',
    'a \\uc1 fallback letter after \\u49': '\\uc1 Card: 411\\u49 x 1111 1111 1111',
    'three \\uc3 fallback letters after each \\uN':
      '\\uc3 Card: \\u52 xyz\\u49 xyz\\u49 xyz\\u49 xyz 1111 1111 1111',
    'a fallback LibreOffice skips after a group ends': 'Card: 4111 1111 111\\uc1\\u49{}x 1111',
    'a fallback RichEdit skips in place of a control word': 'Card: 4111 1111 111\\uc1\\u49\\b y\\b0 1111',
    'white text between two groups': 'Card: 4111 1111{\\cf1 x} 1111 1111',
    'text of 1 point between two groups': 'Card: 4111 1111{\\fs2 x} 1111 1111',
    'an IBAN with hidden text inside': 'IBAN: GB82 WEST 1234{\\v x} 5698 7654 32',
  };
  for (const [name, body] of Object.entries(CASES)) {
    it(`bounces ${name}`, async () => {
      expect(await send(body)).toBe('BOUNCE');
    });
  }

  it('bounces the same hidden text in RTF named .doc and sent as a Word document', async () => {
    expect(await send('Card: 4111 1111{\\v x} 1111 1111', 'card.doc', 'application/msword')).toBe('BOUNCE');
  });

  it('sends RTF whose hidden, white or fallback text holds no card', async () => {
    expect(await send("Invoice 2291 due {\\v internal note} 12 May{\\cf1 x}, \\uc1\\u8217\\'92s fine")).toBe(
      'DEFAULT',
    );
  });
});
