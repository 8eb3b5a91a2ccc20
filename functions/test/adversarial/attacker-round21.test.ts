import { gzipSync } from 'node:zlib';
import { cmsFile, rarFile, tnefStream, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 21 (session 21). The DLP refuses an archive it does not open (RAR, 7z, bzip2, xz…) as unread
// when it is a part or a file in a zip or tar; carried one level further (the content of a gzip or of a signed
// .p7m, a file uuencoded in a body, a file in a winmail.dat) it was skipped as binary, and the card numbers in it
// went out. Each case bounced at outbound-policy's defaults only after the fix.

const stack = useLocalStack();
const kit = attackerKit(stack);
const CARDS = Buffer.from('name,card\r\nAnn,4111 1111 1111 1111\r\n');
// A stored RAR: the CSV's bytes are in it, but no reader of the DLP opens a RAR.
const RAR = rarFile([{ name: 'cards.csv', data: CARDS }], { version: 5 });
// A bzip2 file's bytes say nothing readable (its stream is not built: the kind is known by its signature).
const BZIP2 = Buffer.concat([
  Buffer.from('BZh9', 'latin1'),
  Buffer.from('314159265359', 'hex'),
  Buffer.alloc(40, 7),
]);
const FROM = 'From: Bob <bob@corp.example>';
const outboundFile = (name: string, file: Buffer, type = 'application/octet-stream') =>
  mail(
    [FROM, MIXED],
    withPart(
      `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${file.toString('base64')}`,
    ),
  );

describe('attacker round 21: an unread archive carried in a container the DLP opens (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'a gzip holding a RAR': outboundFile('export.gz', gzipSync(RAR)),
    'a signed .p7m holding a RAR': outboundFile('export.rar.p7m', cmsFile(RAR)),
    'a zip holding a gzip holding a RAR': outboundFile(
      'export.zip',
      zipFile([{ name: 'export.gz', data: gzipSync(RAR) }]),
    ),
    'a RAR uuencoded in a text body': mail(
      [FROM, 'Content-Type: text/plain'],
      `See below.\r\n\r\n${uuencode(RAR, 'export.rar')}\r\n`,
    ),
    'a bzip2 file in a winmail.dat': outboundFile(
      'winmail.dat',
      tnefStream([{ title: 'CARDS~1.BZ2', longName: 'cards.csv.bz2', data: BZIP2 }]),
      'application/ms-tnef',
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('still sends a gzip, a signed file and a uuencoded file of clean text (controls)', async () => {
    const plan = Buffer.from('week,task\r\n1,ship\r\n');
    expect(await kit.outbound(outboundFile('plan.csv.gz', gzipSync(plan)))).toBe('DEFAULT');
    expect(await kit.outbound(outboundFile('plan.csv.p7m', cmsFile(plan)))).toBe('DEFAULT');
    expect(
      await kit.outbound(
        mail([FROM, 'Content-Type: text/plain'], `Plan:\r\n\r\n${uuencode(plan, 'plan.csv')}\r\n`),
      ),
    ).toBe('DEFAULT');
  });
});
