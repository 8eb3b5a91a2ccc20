import { deflateRawSync, gzipSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A76-3: round 73 decoded base64 runs in a text file only when they held text. A card list zipped or gzipped, then
// written in base64 into a JSON export's or an XML document's field (as REST APIs and SOAP carry files), was sent:
// whoever decodes the field and opens the file reads the cards. A run that holds a gzip stream or a zip archive is
// now unpacked (stored or deflated entries, at most 8 MiB per text) and read when what it holds is text.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CSV = 'name,card,expiry\nAnn Lee,4111 1111 1111 1111,12/29\n';
const b64 = (b: Buffer) => b.toString('base64');
const json = (field: Buffer) => Buffer.from(JSON.stringify({ name: 'cards.csv', content: b64(field) }));

describe('A76-3: a card list compressed, then base64 in a text file', () => {
  const leaks: [string, string, Buffer, string][] = [
    ['a gzip in a JSON field', 'export.json', json(gzipSync(CSV)), 'application/json'],
    [
      'a zip in a JSON field',
      'export.json',
      json(zipFile([{ name: 'cards.csv', data: CSV }])),
      'application/json',
    ],
    [
      'a zip as the second entry, in an XML element',
      'soap.xml',
      Buffer.from(
        `<?xml version="1.0"?><Envelope><File>${b64(
          zipFile([
            { name: 'readme.txt', data: 'Quarterly figures attached.' },
            { name: 'cards.csv', data: CSV },
          ]),
        )}</File></Envelope>`,
      ),
      'application/xml',
    ],
    [
      'a zip wrapped at 76 in a text file',
      'dump.txt',
      Buffer.from(
        `begin\n${(b64(zipFile([{ name: 'c.csv', data: CSV }])).match(/.{1,76}/g) ?? []).join('\n')}\nend\n`,
      ),
      'text/plain',
    ],
  ];
  for (const [what, name, file, type] of leaks)
    it(`bounces it in ${what}`, async () => {
      expect(await kit.outbound(outboundFile(name, file, type))).toBe('BOUNCE');
    });

  describe('controls', () => {
    it('a zip of ordinary text in a JSON field is delivered', async () => {
      const zip = zipFile([{ name: 'notes.txt', data: 'Order 4111 shipped 2026-11-30, ref 1111-1111.' }]);
      expect(await kit.outbound(outboundFile('export.json', json(zip), 'application/json'))).toBe('DEFAULT');
    });
    it('a gzip of binary data and a broken zip in a JSON field are delivered', async () => {
      const noise = Buffer.alloc(4096);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
      expect(await kit.outbound(outboundFile('a.json', json(gzipSync(noise)), 'application/json'))).toBe(
        'DEFAULT',
      );
      const broken = Buffer.concat([Buffer.from('PK\x03\x04'), deflateRawSync(CSV)]);
      expect(await kit.outbound(outboundFile('b.json', json(broken), 'application/json'))).toBe('DEFAULT');
    });
  });
});
