import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 8 on attacker round 106's `.uu` (refused by name as `.uue` is, and read for begin lines): the
// name is read by its last extension only, so files whose names hold `UU` before another extension (Universiteit
// Utrecht's abbreviation, initials) are delivered; an ordinary `.uu` of text is refused by default (bought on purpose:
// no message of the 260 in the shared corpus carries a `.uu` or `.uue` file or a begin line) and delivered with
// ALLOWED_EXTENSIONS=uu, while an executable inside one is still bounced there.
const kit = attackerKit(useLocalStack());

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
  return lines.join('\n');
}
const uuFile = (inside: string, file: Buffer) =>
  Buffer.from(`begin 644 ${inside}\n${uuencoded(file)}\n\`\nend\n`);
const REPORT = Buffer.from('date,site,count\n2026-12-01,Utrecht,41\n2026-12-02,Leiden,17\n');
const verdict = async (name: string, file: Buffer, type: string, env: Record<string, string> = {}) =>
  (await kit.inbound(attachedFile(name, file, type)[0], env)).verdict;

describe('names holding UU before their extension (delivered)', () => {
  it('a thesis named with the university’s abbreviation', async () => {
    expect(await verdict('Scriptie J. de Vries.UU.txt', Buffer.from('Samenvatting\n'), 'text/plain')).toBe(
      'DEFAULT',
    );
  });
  it('a timetable export with .uu. inside its name', async () => {
    expect(await verdict('rooster.uu.2026.csv', REPORT, 'text/csv')).toBe('DEFAULT');
  });
});

describe('an ordinary .uu of a text report', () => {
  it('is refused by default, as a .uue is (bought on purpose)', async () => {
    expect(await verdict('report.uu', uuFile('report.csv', REPORT), 'application/octet-stream')).toBe(
      'BOUNCE',
    );
  });
  it('is delivered with ALLOWED_EXTENSIONS=uu', async () => {
    expect(
      await verdict('report.uu', uuFile('report.csv', REPORT), 'application/octet-stream', {
        ALLOWED_EXTENSIONS: 'uu',
      }),
    ).toBe('DEFAULT');
  });
  it('holding an executable, is bounced with ALLOWED_EXTENSIONS=uu too', async () => {
    const exe = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode', 'latin1');
    expect(
      await verdict('report.uu', uuFile('report.exe', exe), 'application/octet-stream', {
        ALLOWED_EXTENSIONS: 'uu',
      }),
    ).toBe('BOUNCE');
  });
});
