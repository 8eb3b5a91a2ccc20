import { describe, expect, it } from 'vitest';
import { attackerKit, mail, script } from './attacker-kit.js';
import { remaining } from './remaining.js';
import { useLocalStack } from './stack.js';

// Second attacker round: MIME features clients act on that the walk did not (digests, fragments, S/MIME
// wrappers, calendar attachments, transfer encodings), confusables and DLP formats; each replayed through
// the prebuilt functions at their defaults over the local emulator and S3.

const stack = useLocalStack();
const { inbound } = attackerKit(stack);

/** An attached message holding a .vbs, tagged. */
const forwarded = (tag: string) =>
  `From: a@evil.example\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhi\r\n--i\r\nContent-Type: application/octet-stream; name="x.vbs"\r\n\r\n${script(tag)}\r\n--i--\r\n`;

/** name → [message, bytes that must never be delivered]. */
const ATTACHMENTS: Record<string, [Buffer, string]> = {
  'a digest entry without Content-Type (an attached message by default)': [
    mail(['Content-Type: multipart/digest; boundary="b"'], `--b\r\n\r\n${forwarded('digest')}\r\n--b--\r\n`),
    'attacker-digest',
  ],
};

describe('attacker round 2: blocked attachments through the guard at its defaults', () => {
  for (const [name, [message, payload]] of Object.entries(ATTACHMENTS)) {
    it(`${name}: bounced (ATTACHMENT_ACTION=bounce)`, async () => {
      expect((await inbound(message)).verdict).toBe('BOUNCE');
    });
    it(`${name}: stripped or bounced (ATTACHMENT_ACTION=strip)`, async () => {
      const { verdict, delivered } = await inbound(message, { ATTACHMENT_ACTION: 'strip' });
      if (verdict === 'BOUNCE') return;
      expect(verdict).toBe('DEFAULT');
      expect(delivered.toString('latin1')).not.toContain(payload);
      expect(await remaining(delivered)).toEqual([]);
    });
  }
});
