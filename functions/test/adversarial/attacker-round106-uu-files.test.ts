import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 106 (an outside sender, the guard's attachment check): a uuencoded executable in a file named `.uu`.
// WinZip (and PowerArchiver, IZArc) opens `.uu` as it opens `.uue`: an archive of the file encoded inside, one double
// click from `run.exe`. Round 64 blocked `.uue`, `.xxe`, `.b64` and `.mim` and read a `.uue` for its begin lines; a
// `.uu` was a file of text: delivered.
const kit = attackerKit(useLocalStack());
const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode', 'latin1');

function uuencoded(file: Buffer): string {
  const lines: string[] = [];
  for (let i = 0; i < file.length; i += 45) {
    const chunk = file.subarray(i, i + 45);
    let line = String.fromCharCode(32 + chunk.length);
    for (let j = 0; j < chunk.length; j += 3) {
      const [a = 0, b = 0, c = 0] = [chunk[j], chunk[j + 1], chunk[j + 2]];
      for (const v of [a >> 2, ((a & 3) << 4) | (b >> 4), ((b & 15) << 2) | (c >> 6), c & 63])
        line += String.fromCharCode(v === 0 ? 96 : 32 + v);
    }
    lines.push(line);
  }
  return lines.join('\r\n');
}
const uuFile = (inside: string, file = EXE) =>
  Buffer.from(`begin 644 ${inside}\r\n${uuencoded(file)}\r\n\`\r\nend\r\n`);

describe('A106-3: a .uu file (probes)', () => {
  attachmentTests(kit, {
    'run.exe in invoice.uu': attachedFile('invoice.uu', uuFile('run.exe')),
    'run.exe in invoice.UU, typed text/plain': attachedFile('invoice.UU', uuFile('run.exe'), 'text/plain'),
    'a .uu of text (WinZip still opens it)': attachedFile(
      'notes.uu',
      uuFile('notes.txt', Buffer.from('hello')),
    ),
  });
});

describe('A106-3 controls (delivered)', () => {
  it('a text file whose name ends in "uu" as a word (menu.txt beside it)', async () => {
    expect(
      (await kit.inbound(attachedFile('tofuu.txt', Buffer.from('tofu menu'), 'text/plain')[0])).verdict,
    ).toBe('DEFAULT');
  });
  it('a plain-text message quoting an old uuencoded text file', async () => {
    const [message] = attachedFile('readme.txt', Buffer.from('see the notes below\r\n'), 'text/plain');
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
