import { gzipSync } from 'node:zlib';
import { rarFile, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP and archives of kinds it does not open (7z, RAR, CAB, bzip2, xz, zstd…): what they hold is not
// known, so by default they bounce (not knowing is not allowing); ALLOW_UNREAD_ARCHIVES sends them unread for
// organisations that mean to, and reads everything else as before.

const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';
// A text part (`text`), then `file` attached under `name`.
const attached = (name: string, file: Buffer, text = 'hello') =>
  mail(
    ['From: Bob <bob@corp.example>', MIXED],
    [
      '--b',
      'Content-Type: text/plain',
      '',
      text,
      '--b',
      `Content-Type: application/octet-stream; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      file.toString('base64'),
      '--b--',
      '',
    ].join('\r\n'),
  );
const RAR = rarFile([{ name: 'statement.csv', data: 'date,amount\n2026-11-30,12.00\n' }], { version: 5 });
const ALLOW = { ALLOW_UNREAD_ARCHIVES: 'true' };

describe('outbound-policy: archives the DLP does not open', () => {
  it('bounces a RAR at its defaults, alone or carried in a gzip or a zip', async () => {
    expect(await kit.outbound(attached('statement.rar', RAR))).toBe('BOUNCE');
    expect(await kit.outbound(attached('statement.gz', gzipSync(RAR)))).toBe('BOUNCE');
    expect(await kit.outbound(attached('all.zip', zipFile([{ name: 'statement.rar', data: RAR }])))).toBe(
      'BOUNCE',
    );
  });

  it('ALLOW_UNREAD_ARCHIVES=true sends them, and still reads the rest of the message', async () => {
    expect(await kit.outbound(attached('statement.rar', RAR), ALLOW)).toBe('DEFAULT');
    expect(await kit.outbound(attached('statement.gz', gzipSync(RAR)), ALLOW)).toBe('DEFAULT');
    // The zip's other file, and the body beside the RAR, are read.
    const zip = zipFile([
      { name: 'statement.rar', data: RAR },
      { name: 'readme.txt', data: `Card for the booking: ${CARD}` },
    ]);
    expect(await kit.outbound(attached('all.zip', zip), ALLOW)).toBe('BOUNCE');
    expect(await kit.outbound(attached('statement.rar', RAR, `Card: ${CARD}`), ALLOW)).toBe('BOUNCE');
  });

  it('ALLOW_UNREAD_ARCHIVES=true still refuses what is unread for another reason', async () => {
    // A transfer encoding a client may decode into other bytes, and an encrypted zip (ALLOW_ENCRYPTED_ARCHIVES's).
    const quoted = mail(
      ['From: Bob <bob@corp.example>', MIXED],
      withPart(
        `Content-Type: application/zip; name="a.zip"\r\nContent-Disposition: attachment; filename="a.zip"\r\nContent-Transfer-Encoding: "base64"\r\n\r\n${zipFile([{ name: 'a.csv', data: 'x' }]).toString('base64')}`,
      ),
    );
    expect(await kit.outbound(quoted, ALLOW)).toBe('BOUNCE');
    const encrypted = zipFile([{ name: 'a.csv', data: 'x', encrypted: true }]);
    expect(await kit.outbound(attached('a.zip', encrypted), ALLOW)).toBe('BOUNCE');
  });

  it('refuses a setting that is not a flag, naming it', async () => {
    await expect(
      kit.outbound(attached('statement.rar', RAR), { ALLOW_UNREAD_ARCHIVES: 'maybe' }),
    ).rejects.toThrow(/ALLOW_UNREAD_ARCHIVES/);
  });
});

// An Apple iWork document (`.numbers`, `.pages`, `.key`) is a zip whose text and cells are in Snappy-compressed
// `.iwa` records, numbers in cells as binary doubles. Before, they were skipped as binary files, so a card typed
// into a Numbers cell went out unread; now they count as unread, as a RAR does.
describe('outbound-policy: Apple iWork documents', () => {
  const iwa = Buffer.concat([Buffer.from([0x00, 0x40, 0x00, 0x00]), Buffer.alloc(60, 0x2a)]);
  const numbers = zipFile([
    { name: 'Index/Document.iwa', data: iwa },
    { name: 'Index/Tables/Tile.iwa', data: iwa },
    { name: 'Metadata/Properties.plist', data: Buffer.from('bplist00', 'latin1') },
    { name: 'preview.jpg', data: Buffer.from('ffd8ffe000104a464946', 'hex') },
  ]);

  it('bounces one at its defaults, under any name, and one packed in a zip', async () => {
    expect(await kit.outbound(attached('cards.numbers', numbers))).toBe('BOUNCE');
    expect(await kit.outbound(attached('report.pdf', numbers))).toBe('BOUNCE');
    const packed = zipFile([{ name: 'Q4/cards.numbers', data: numbers }]);
    expect(await kit.outbound(attached('q4.zip', packed))).toBe('BOUNCE');
  });

  it('ALLOW_UNREAD_ARCHIVES=true sends it unread, and still reads the body beside it', async () => {
    expect(await kit.outbound(attached('cards.numbers', numbers), ALLOW)).toBe('DEFAULT');
    expect(await kit.outbound(attached('cards.numbers', numbers, `Card: ${CARD}`), ALLOW)).toBe('BOUNCE');
  });

  it('control: the same zip without its .iwa records is read and sent', async () => {
    const plain = zipFile([
      { name: 'Metadata/Properties.plist', data: Buffer.from('bplist00', 'latin1') },
      { name: 'preview.jpg', data: Buffer.from('ffd8ffe000104a464946', 'hex') },
    ]);
    expect(await kit.outbound(attached('cards.numbers', plain))).toBe('DEFAULT');
  });
});
