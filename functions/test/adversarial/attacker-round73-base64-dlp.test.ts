import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A73-3: outbound-policy read a text file's base64 as letters. A card number written in base64 inside a JSON export
// (`{"file": "Y2FyZCA0MTEx…"}`, a `data:text/plain;base64,…` URL), an XML document's base64 element, a plist's
// `<data>` (wrapped and indented as Apple writes it) or YAML's `!!binary` was sent: whoever opens the file with its
// program reads the decoded text. Runs of base64 in any text the DLP reads are now decoded and, when they hold
// text, read too.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const wrapped = (s: string, indent: string) => (b64(s).match(/.{1,52}/g) ?? []).join(`\n${indent}`);
const NOTE = `Customer card on file: ${CARD}, expires 12/29.`;

const leaks: [string, string, Buffer, string][] = [
  [
    'a JSON file field',
    'export.json',
    Buffer.from(JSON.stringify({ name: 'note.txt', content: b64(NOTE) })),
    'application/json',
  ],
  [
    'a data: URL in JSON',
    'form.json',
    Buffer.from(JSON.stringify({ upload: `data:text/plain;base64,${b64(NOTE)}` })),
    'application/json',
  ],
  [
    'an XML base64 element',
    'soap.xml',
    Buffer.from(
      `<?xml version="1.0"?><Envelope><Attachment encoding="base64">${b64(NOTE)}</Attachment></Envelope>`,
    ),
    'application/xml',
  ],
  [
    'a plist <data>, wrapped and indented',
    'prefs.plist',
    Buffer.from(
      `<?xml version="1.0"?>\n<plist version="1.0">\n<dict>\n\t<key>note</key>\n\t<data>\n\t${wrapped(NOTE, '\t')}\n\t</data>\n</dict>\n</plist>\n`,
    ),
    'application/x-plist',
  ],
  [
    'YAML !!binary',
    'config.yaml',
    Buffer.from(`note: !!binary |\n  ${wrapped(NOTE, '  ')}\n`),
    'application/yaml',
  ],
  [
    'URL-safe base64 in a text file',
    'token.txt',
    Buffer.from(
      `payload=${b64(`{"pan":"${CARD}","exp":"12/29"}`).replaceAll('+', '-').replaceAll('/', '_')}`,
    ),
    'text/plain',
  ],
];

describe('A73-3: a card number in base64 inside a text file', () => {
  for (const [what, name, file, type] of leaks)
    it(`bounces it in ${what}`, async () => {
      expect(await kit.outbound(outboundFile(name, file, type))).toBe('BOUNCE');
    });

  describe('controls', () => {
    const benign: [string, string, Buffer, string][] = [
      [
        'a JSON file field of ordinary text',
        'export.json',
        Buffer.from(
          JSON.stringify({ content: b64('Meeting notes: order 4111 shipped on 2026-11-30, ref 1111-1111.') }),
        ),
        'application/json',
      ],
      [
        'a PNG in a data: URL in JSON',
        'theme.json',
        Buffer.from(
          JSON.stringify({
            logo: `data:image/png;base64,${b64(Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'latin1'), deflateRawSync(Buffer.from('4111111111111111'.repeat(40)))]))}`,
          }),
        ),
        'application/json',
      ],
      [
        'a JWT, hashes and ids',
        'auth.json',
        Buffer.from(
          JSON.stringify({
            jwt: `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64('{"sub":"1234567890","iat":1516239022}')}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`,
            sha256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
            id: 'AKIAIOSFODNN7EXAMPLE0000',
          }),
        ),
        'application/json',
      ],
      [
        'a wrapped plist of a binary blob',
        'prefs.plist',
        Buffer.from(
          `<plist><dict><key>k</key><data>\n\t${(b64(deflateRawSync(Buffer.from('x'.repeat(5000) + CARD))).match(/.{1,52}/g) ?? []).join('\n\t')}\n\t</data></dict></plist>`,
        ),
        'application/x-plist',
      ],
    ];
    for (const [what, name, file, type] of benign)
      it(`delivers ${what}`, async () => {
        expect(await kit.outbound(outboundFile(name, file, type))).toBe('DEFAULT');
      });
  });
});
