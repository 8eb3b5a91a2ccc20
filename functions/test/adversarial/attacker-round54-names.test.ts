import { uuencode } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { yenc } from './text-file-builders.js';

// Attacker round 54, A54-2: round 53 (A53-2) added a begin-line name's reading cut at its first quote, because Thunderbird's
// untyped-text reader pastes the name into `Content-Disposition: inline; filename="<name>"`. But the rest of the
// name after that quote becomes more parameters of the same header, and Mozilla's parameter parser prefers an
// RFC 2231 value (`filename*=utf-8''…`, or `filename*0=…` continuations) over the plain `filename`. The guard
// reads only the raw name (extension .txt) and the quote cut (invoice.txt); Thunderbird offers invoice.js.
const stack = useLocalStack();
const kit = attackerKit(stack);
const JS = Buffer.from('var s=new ActiveXObject("WScript.Shell");s.Run("cmd /c calc");\r\n');
const plain = (text: string, type = 'text/plain') =>
  mail(
    [`Content-Type: ${type}; charset=iso-8859-1`, 'Content-Transfer-Encoding: 8bit'],
    Buffer.from(`Please find the invoice attached.\r\n\r\n${text}\r\n`, 'latin1'),
  );

describe('A54-2: a begin-line name that carries an RFC 2231 filename* parameter', () => {
  const cases: Record<string, Buffer> = {
    "yEnc invoice.txt\"; filename*=utf-8''invoice.js; x=.txt": plain(
      yenc("invoice.txt\"; filename*=utf-8''invoice.js; x=.txt", JS),
    ),
    "uuencoded invoice.txt\"; filename*=utf-8''invoice%2Ejs; x=.txt": plain(
      uuencode(JS, "invoice.txt\"; filename*=utf-8''invoice%2Ejs; x=.txt"),
    ),
    'yEnc invoice.txt"; filename*0="invoice.js"; x=".txt (continuations)': plain(
      yenc('invoice.txt"; filename*0="invoice.js"; x=".txt', JS),
    ),
    "yEnc in a body typed `text`: invoice.txt\"; filename*=utf-8''invoice.js; x=.txt": plain(
      yenc("invoice.txt\"; filename*=utf-8''invoice.js; x=.txt", JS),
      'text',
    ),
  };
  for (const [how, message] of Object.entries(cases))
    it(`bounces ${how}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  it('(control) bounces yEnc invoice.js" .txt (A53-2, fixed)', async () => {
    expect((await kit.inbound(plain(yenc('invoice.js" .txt', JS)))).verdict).toBe('BOUNCE');
  });
  it('(control) delivers yEnc notes.txt', async () => {
    expect((await kit.inbound(plain(yenc('notes.txt', Buffer.from('just notes\r\n'))))).verdict).toBe(
      'DEFAULT',
    );
  });
});

// Thunderbird (mimeunty.cpp, MimeUntypedText_uu_begin_line_p) keeps a begin line's name to the line's end, taking
// off one LF and one CR only: trailing white space stays in the name, and Windows drops trailing spaces and dots
// when the file is saved.
describe('(held) A54-2b: trailing white space or dots after a begin-line name', () => {
  const cases: Record<string, Buffer> = {
    'uuencoded "invoice.js " (trailing space)': plain(uuencode(JS, 'invoice.js ')),
    'uuencoded "invoice.js." (trailing dot)': plain(uuencode(JS, 'invoice.js.')),
    'yEnc "invoice.js. . ." (trailing dots and spaces)': plain(yenc('invoice.js. . .', JS)),
    'uuencoded "invoice.js\\t" (trailing tab)': plain(uuencode(JS, 'invoice.js\t')),
  };
  for (const [how, message] of Object.entries(cases))
    it(`bounces ${how}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
});
