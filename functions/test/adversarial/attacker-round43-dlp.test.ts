import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A43-3: outbound-policy's DLP reads one interpretation of the MIME structure, while the guard's part walk
// (same codebase) already calls these structures ambiguous/malformed because clients read them otherwise
// (docs/threat-model.md: bare CR in a header block = Thunderbird line end (round 31); a Content-Transfer-Encoding
// or boundary repeated with different values; a prefix delimiter line `--qX`; a part after the closing
// delimiter). Each hides a base64 text part holding a card: the DLP reads the base64 letters, a client that
// takes the other reading decodes and shows the card. Each is DEFAULT (sent) today.
const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const B64 = Buffer.from('Card for the booking: 4111 1111 1111 1111 exp 12/29\r\n').toString('base64');
const CARD_PART = `Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${B64}\r\n`;
const TEXT = '--q\r\nContent-Type: text/plain\r\n\r\nhi\r\n';

const CASES: Record<string, Buffer> = {
  'bare CR hides a part Content-Transfer-Encoding (Thunderbird splits the line)': mail(
    [FROM, 'Content-Type: multipart/mixed; boundary=q'],
    `${TEXT}--q\r\nContent-Type: text/plain\r\nX-Scan: ok\rContent-Transfer-Encoding: base64\r\n\r\n${B64}\r\n--q--\r\n`,
  ),
  'bare CR hides the message Content-Type (multipart over a base64 part)': mail(
    [FROM, 'X-Scan: ok\rContent-Type: multipart/mixed; boundary=q'],
    `${TEXT}--q\r\n${CARD_PART}--q--\r\n`,
  ),
  'a part Content-Transfer-Encoding repeated (7bit, then base64)': mail(
    [FROM, 'Content-Type: multipart/mixed; boundary=q'],
    `${TEXT}--q\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64\r\n\r\n${B64}\r\n--q--\r\n`,
  ),
  'boundary given twice (q, then r; delimiters use r)': mail(
    [FROM, 'Content-Type: multipart/mixed; boundary=q; boundary=r'],
    `--r\r\nContent-Type: text/plain\r\n\r\nhi\r\n--r\r\n${CARD_PART}--r--\r\n`,
  ),
  'a prefix delimiter line --qX (a client matching the boundary as a prefix starts a part)': mail(
    [FROM, 'Content-Type: multipart/mixed; boundary=q'],
    `${TEXT}--qX\r\n${CARD_PART}--q--\r\n`,
  ),
  'a part after the closing delimiter': mail(
    [FROM, 'Content-Type: multipart/mixed; boundary=q'],
    `${TEXT}--q--\r\n--q\r\n${CARD_PART}--q--\r\n`,
  ),
};

describe('A43-3: structure the guard calls ambiguous is read one way only by the DLP', () => {
  for (const [title, message] of Object.entries(CASES)) {
    it(`refuses ${title}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
  it('control: the same card part in a plain multipart is refused', async () => {
    const plain = mail(
      [FROM, 'Content-Type: multipart/mixed; boundary=q'],
      `${TEXT}--q\r\n${CARD_PART}--q--\r\n`,
    );
    expect(await kit.outbound(plain)).toBe('BOUNCE');
  });
});
