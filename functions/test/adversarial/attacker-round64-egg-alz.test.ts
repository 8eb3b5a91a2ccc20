import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 64, A64-3: ALZip's `.alz` and ALZip's and Bandizip's `.egg` archives open on a double click wherever
// those archivers are installed (the default ones on Korean desktops), and campaigns aimed at Korean companies mail
// malware in them. The walk recognised neither format, by name or by bytes: an `invoice.egg` or `invoice.alz`
// holding `invoice.exe` was delivered unread, while ACE, ARJ and LHA archives, which it does not read either, are
// refused. Both are now recognised (`EGGA`, `ALZ\x01`; `.egg`, `.alz`) and refused as not read, unless
// `ALLOW_UNLISTED_ARCHIVES`.
const stack = useLocalStack();
const kit = attackerKit(stack);

// The start of an EGG archive (magic, version 1.0, header id, reserved, end-of-header mark) and a file's name.
const EGG = Buffer.concat([
  Buffer.from('EGGA\x00\x01\x12\x34\x56\x78\x00\x00\x00\x00\x22\x82\xe2\x08', 'latin1'),
  Buffer.from('invoice.exe'),
  Buffer.alloc(64, 0x5a),
]);
// The start of an ALZ archive (magic and header size, then a local file header's mark) and a file's name.
const ALZ = Buffer.concat([
  Buffer.from('ALZ\x01\x0a\x00\x00\x00BLZ\x01', 'latin1'),
  Buffer.from('invoice.exe'),
  Buffer.alloc(64, 0x5a),
]);

describe('A64-3: ALZip and Bandizip archives', () => {
  attachmentTests(kit, {
    'invoice.egg': attachedFile('invoice.egg', EGG),
    'invoice.alz': attachedFile('invoice.alz', ALZ),
    'an EGG archive named scan.dat': attachedFile('scan.dat', EGG),
    'an ALZ archive named invoice.pdf': attachedFile('invoice.pdf', ALZ),
    'a file named .egg that is no archive the walk reads': attachedFile(
      'invoice.egg',
      Buffer.from('x'.repeat(64)),
    ),
    'an EGG archive inside a zip': attachedFile('docs.zip', zipFile([{ name: 'invoice.egg', data: EGG }])),
  });
  it('(control) delivers an EGG archive when ALLOW_UNLISTED_ARCHIVES=true', async () => {
    const [message] = attachedFile('photos.egg', EGG);
    expect((await kit.inbound(message, { ALLOW_UNLISTED_ARCHIVES: 'true' })).verdict).toBe('DEFAULT');
  });
  it('(control) delivers a Python egg (a zip) and a text that starts with EGGA', async () => {
    const python = attachedFile(
      'mylib-1.0.egg',
      zipFile([{ name: 'EGG-INFO/PKG-INFO', data: 'Name: mylib\n' }]),
    );
    const text = attachedFile('recipes.txt', Buffer.from('EGGAR family recipes\r\nthree eggs\r\n'));
    for (const [message] of [python, text]) expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
