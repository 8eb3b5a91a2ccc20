// Attacker round 34 (session 28, against round 33's fixes and the day's parser rewrites): each case but the
// controls got past the function (DEFAULT) before the fix (PoCs in .scratch/attack-s34).
import { gzipSync } from 'node:zlib';
import { tarArchive, tarEntry, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, outboundFile, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const report = (first: string) => `${first}\r\nCUSTOMER BOB\r\nCARD ${CARD}\r\nAMOUNT 12.00\r\n\x1a`;

// A34-1: text whose first bytes happen to spell a known binary signature (ISO-BMFF `free` at offset 4, TrueType
// `true`, MZ…) and that holds one control byte is skipped as an image/audio/font/program.
describe('A34-1 signature look-alike text', () => {
  const CASES: Record<string, Buffer> = {
    'control: plain first line .prn': outboundFile('statement.prn', Buffer.from(report('STATEMENT 2026-11'))),
    'Tax-free (free at 4) .prn': outboundFile(
      'statement.prn',
      Buffer.from(report('Tax-free statement 2026-11')),
    ),
    'The wide (wide at 4) .dat': outboundFile('export.dat', Buffer.from(report('The wide export'))),
    'true, CSV row .dat': outboundFile('export.dat', Buffer.from(`true,${CARD},12/29\r\n\x1a`)),
    'Tax-free in .prn in zip': outboundFile(
      's.zip',
      zipFile([{ name: 'STATEMENT.PRN', data: report('Tax-free statement') }]),
    ),
    'Tax-free in cards.txt.gz': outboundFile(
      'cards.txt.gz',
      gzipSync(Buffer.from(report('Tax-free statement'))),
    ),
    'control: plain in cards.txt.gz': outboundFile(
      'cards.txt.gz',
      gzipSync(Buffer.from(report('STATEMENT'))),
    ),
    'true, in cards.csv.gz': outboundFile(
      'cards.csv.gz',
      gzipSync(Buffer.from(`true,${CARD},12/29\r\n\x1a`)),
    ),
    'MZ in cards.txt.gz': outboundFile('cards.txt.gz', gzipSync(Buffer.from(report('MZ statement')))),
    'tar entry .prn Tax-free': outboundFile(
      's.tar',
      tarArchive(tarEntry('STATEMENT.PRN', Buffer.from(report('Tax-free statement')))),
    ),
  };
  for (const [name, m] of Object.entries(CASES))
    it(name, async () => {
      expect(await kit.outbound(m)).toBe('BOUNCE');
    });
});

// A34-2: decodedHead drops `=` and decodes the base64 as one stream; libbase64 (the walk's decoder, and
// clients) decodes each padded segment on its own. A zip whose first byte is its own padded segment is
// sniffed as garbage.
describe('A34-2 padded base64 segments', () => {
  const zip = zipFile([{ name: 'cards.txt', data: `Card ${CARD}\r\n`.repeat(20) }]);
  const b64 = (file: Buffer, split: number) =>
    file.subarray(0, split).toString('base64') +
    '\r\n' +
    file.subarray(split).toString('base64').replace(/.{76}/g, '$&\r\n');
  const part = (name: string, body: string) =>
    mail(
      ['From: Bob <bob@corp.example>', MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`,
      ),
    );
  for (const split of [0, 1, 2, 4])
    it(`zip split at ${split}`, async () => {
      expect(
        await kit.outbound(part('cards.zip', split === 0 ? zip.toString('base64') : b64(zip, split))),
      ).toBe('BOUNCE');
    });
  const gz = gzipSync(Buffer.from(`Card ${CARD}\r\n`.repeat(20)));
  for (const split of [0, 1, 2])
    it(`gz split at ${split}`, async () => {
      expect(
        await kit.outbound(part('cards.txt.gz', split === 0 ? gz.toString('base64') : b64(gz, split))),
      ).toBe('BOUNCE');
    });
});
