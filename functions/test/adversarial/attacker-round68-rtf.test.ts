import { packagedFile, rtfWithObject } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 68, A68-5: round 65 read an RTF document after a UTF-8 byte order mark (Word skips it); a document
// whose `{\rt` comes after blank lines or spaces (as a script or a mail merge writes it), or that is saved in UTF-16
// with its byte order mark (Windows editors' "Unicode"), was not taken for RTF, so the script it packages (an icon
// Word shows in the document, which a double click writes out and runs) went unread. Whether Word opens each as RTF
// is not known for sure: not knowing, such a document is read as RTF too (its objects, links and fields).
const stack = useLocalStack();
const kit = attackerKit(stack);

const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const rtf = rtfWithObject('Package', packagedFile('invoice.vbs', vbs));
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe('A68-5: an RTF document after blanks or in UTF-16', () => {
  attachmentTests(kit, {
    'invoice.doc after blank lines': attachedFile(
      'invoice.doc',
      Buffer.from(`\r\n\r\n${rtf}`),
      'application/msword',
    ),
    'invoice.doc after spaces and tabs': attachedFile(
      'invoice.doc',
      Buffer.from(` \t  ${rtf}`),
      'application/msword',
    ),
    'invoice.rtf in UTF-16LE with its mark': attachedFile(
      'invoice.rtf',
      Buffer.from(`\ufeff${rtf}`, 'utf16le'),
      'application/rtf',
    ),
    'invoice.doc in UTF-16BE with its mark': attachedFile(
      'invoice.doc',
      utf16be(`\ufeff${rtf}`),
      'application/msword',
    ),
    'invoice.doc after a UTF-8 mark and a blank line': attachedFile(
      'invoice.doc',
      Buffer.from(`\ufeff\r\n${rtf}`),
      'application/msword',
    ),
  });
  it('(control) delivers RTF letters after blanks and in UTF-16', async () => {
    const letter = '{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Dear customer,\\par See you soon.\\par}';
    for (const [name, bytes] of [
      ['letter.doc', Buffer.from(`\r\n  ${letter}`)],
      ['letter.rtf', Buffer.from(`\ufeff${letter}`, 'utf16le')],
      ['letter.doc', utf16be(`\ufeff${letter}`)],
      ['notes.txt', Buffer.from(`\r\n\r\n${'x '.repeat(400)}{\\rtf1 not a document}`)],
    ] as const)
      expect((await kit.inbound(attachedFile(name, bytes)[0])).verdict, name).toBe('DEFAULT');
  });
});
