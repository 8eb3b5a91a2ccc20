import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 62, A62-1: Thunderbird names the file it opens or saves from an attachment by Gecko's sanitizer
// (`DownloadPaths.sanitize` → `validateFileNameForSaving`): it drops controls and line and paragraph separators
// (U+2028, U+2029) anywhere, turns every other Unicode space into ' ', trims trailing spaces, dots and U+180E
// (Mongolian vowel separator), and then strips ASCII white space from the extension. So `invoice.j s`,
// `invoice.j<NBSP>s`, `invoice.j<U+2028>s` and `invoice.js<U+180E>` are opened as `invoice.js`, which Windows
// runs with the Script Host. The guard read the extension as written (`j s`, `js<U+180E>`) and delivered them.
const stack = useLocalStack();
const kit = attackerKit(stack);
const JS = Buffer.from('var s=new ActiveXObject("WScript.Shell");s.Run("cmd /c calc");\r\n');

// RFC 2231 percent-encoding of a UTF-8 name (every character outside the attr-char set encoded).
const rfc2231 = (name: string) =>
  `utf-8''${encodeURIComponent(name).replace(/[.'()*!~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/** A message with `payload` attached under `name` in both headers, and the base64 that must not be delivered. */
function named(name: string, payload = JS): [Buffer, string] {
  const value = rfc2231(name);
  const body = payload.toString('base64');
  const part = `Content-Type: application/octet-stream; name*=${value}\r\nContent-Disposition: attachment; filename*=${value}\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`;
  return [mail([MIXED], withPart(part)), body.slice(0, 40)];
}

describe('A62-1: an extension Thunderbird saves without its white space', () => {
  attachmentTests(kit, {
    'invoice.j s (a space in the extension)': named('invoice.j s'),
    'invoice.j<NBSP>s': named('invoice.j\u00a0s'),
    'invoice.j<thin space>s': named('invoice.j\u2009s'),
    'invoice.j<line separator>s': named('invoice.j\u2028s'),
    'invoice.j<paragraph separator>s': named('invoice.j\u2029s'),
    'invoice.js<U+180E> (trailing Mongolian vowel separator)': named('invoice.js\u180e'),
    'invoice.js<U+180E>. (and a dot)': named('invoice.js\u180e.'),
    'Statement. J S (no extension but the spaced one)': named('Statement. J S'),
    'invoice.v b s in a quoted filename': [
      mail(
        [MIXED],
        withPart(
          `Content-Type: application/octet-stream; name="invoice.v b s"\r\nContent-Disposition: attachment; filename="invoice.v b s"\r\nContent-Transfer-Encoding: base64\r\n\r\n${JS.toString('base64')}`,
        ),
      ),
      JS.toString('base64').slice(0, 40),
    ],
  });
  it('(control) delivers "Annual report 2026.pdf" and "notes for J. S. Bach.txt"', async () => {
    const text = Buffer.from('just text\r\n');
    for (const name of ['Annual report 2026.pdf', 'notes for J. S. Bach.txt', 'Q3 figures.x lsx'])
      expect((await kit.inbound(named(name, text)[0])).verdict, name).toBe('DEFAULT');
  });
  it('(held) bounces invoice.js<U+3000> (trailing ideographic space, trimmed as white space)', async () => {
    expect((await kit.inbound(named('invoice.js\u3000')[0])).verdict).toBe('BOUNCE');
  });
});
