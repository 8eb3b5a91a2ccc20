import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Splitter } from '@zone-eu/mailsplit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mimeMessage, mimeMultipart, mimePart } from '../testing/mime.js';
import { bothWalks, pieces } from '../testing/walk-compare.js';
import { walkHeld } from './held-walk.js';
import { DEFAULT_MESSAGE_LIMITS } from './limits.js';
import { syncDecoder } from './sync-decode.js';

const SAMPLES = join(import.meta.dirname, '../../../../samples/eml');
const head = mimeMessage('');

/** The pieces mailsplit's own stream decoder (the one the streaming walk uses) emits for these writes. */
async function streamDecoded(encoding: string, writes: readonly Buffer[]): Promise<Buffer[]> {
  const splitter = new Splitter();
  const done = new Promise<Buffer[]>((resolve, reject) => {
    (splitter as unknown as Readable).on('data', (event: { type: string; getDecoder?: () => never }) => {
      if (event.type !== 'node' || !event.getDecoder) return;
      const decoder = (event as unknown as { getDecoder(): import('node:stream').Transform }).getDecoder();
      const out: Buffer[] = [];
      decoder.on('data', (b: Buffer) => out.push(b));
      decoder.once('end', () => resolve(out));
      decoder.once('error', reject);
      for (const w of writes) decoder.write(w);
      decoder.end();
    });
  });
  splitter.end(Buffer.from(`Content-Transfer-Encoding: ${encoding}\r\n\r\nx\r\n`));
  return done;
}

function syncDecoded(encoding: string, writes: readonly Buffer[]): Buffer[] {
  const decoder = syncDecoder(encoding);
  const out = writes.map((w) => decoder.write(w));
  out.push(decoder.end());
  return out.filter((b): b is Buffer => b !== undefined);
}

// Body text of the kind transfer decoders meet, hostile bits included: padding mid-way, stray bytes, soft
// line breaks, bad escapes, lone CR.
const encodedText = fc
  .array(
    fc.constantFrom(
      'QUJD',
      'TVqQ',
      '==',
      '=',
      'YQ',
      '\r\n',
      '\n',
      '\r',
      ' ',
      '=0D',
      '=\r\n',
      '=ZZ',
      'é',
      '-',
      '+/',
    ),
    { maxLength: 60 },
  )
  .map((bits) => Buffer.from(bits.join(''), 'latin1'));
const cuts = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 });

function cut(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const size = sizes[k % sizes.length] as number;
    out.push(bytes.subarray(i, i + size));
    i += size;
  }
  return out;
}

describe('held walk: sync transfer decoders', () => {
  it('emit the same pieces as mailsplit’s stream decoders, for any input and any writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('base64', 'quoted-printable', '7bit'),
        encodedText,
        cuts,
        async (encoding, text, sizes) => {
          const writes = cut(text, sizes);
          expect(syncDecoded(encoding, writes)).toEqual(await streamDecoded(encoding, writes));
        },
      ),
      { numRuns: 300 },
    );
  });
});

// A random MIME entity: nested multiparts, attached messages in each transfer encoding, named parts,
// encoded bodies, boundaries that clash with the text, preambles and epilogues with delimiter-like lines.
const leafPart = fc
  .record({
    type: fc.constantFrom(
      'text/plain',
      'text/html',
      'application/octet-stream',
      'image/png',
      'text/plain; format=flowed',
    ),
    name: fc.constantFrom(
      '',
      '; name="a.exe"',
      '; name="=?utf-8?B?aW52b2ljZS52YnM=?="',
      "; name*=utf-8''r%C3%A9.pdf",
    ),
    disposition: fc.constantFrom(
      [],
      ['Content-Disposition: attachment; filename="x.scr"'],
      ['Content-Disposition: inline'],
    ),
    encoding: fc.constantFrom('', 'base64', 'quoted-printable', '8bit', 'x-uuencode'),
    body: fc.constantFrom(
      'hello',
      'begin 644 evil.exe\r\nM\r\nend',
      'TVqQAAMAAAAEAAAA//8AALgA',
      'caf=C3=A9 =\r\nsoft',
      '--b1\r\nnot a part',
      'a\rb\nc',
      '',
    ),
  })
  .map(({ type, name, disposition, encoding, body }) =>
    mimePart(
      [
        `Content-Type: ${type}${name}`,
        ...disposition,
        ...(encoding ? [`Content-Transfer-Encoding: ${encoding}`] : []),
      ],
      body,
    ),
  );

const entity: fc.Memo<string> = fc.memo((n) =>
  n <= 1
    ? leafPart
    : fc.oneof(
        leafPart,
        fc
          .record({
            boundary: fc.constantFrom('b1', 'b2', 'b1-x', '--', 'b 1'),
            parts: fc.array(entity(n - 1), { minLength: 0, maxLength: 3 }),
            subtype: fc.constantFrom('mixed', 'alternative', 'related', 'signed'),
            epilogue: fc.constantFrom('', '--b9\r\n', '-----\r\n'),
          })
          .map(
            ({ boundary, parts, subtype, epilogue }) => mimeMultipart(boundary, parts, subtype) + epilogue,
          ),
        fc
          .record({
            inner: entity(n - 1),
            encoding: fc.constantFrom('', 'base64', 'quoted-printable', '7bit'),
          })
          .map(({ inner, encoding }) => {
            const message = `${head}${inner}`;
            const body =
              encoding === 'base64'
                ? Buffer.from(message).toString('base64').replace(/.{76}/g, '$&\r\n')
                : message;
            return mimePart(
              [
                'Content-Type: message/rfc822',
                ...(encoding ? [`Content-Transfer-Encoding: ${encoding}`] : []),
              ],
              body,
            );
          }),
      ),
);

describe('held walk: same parts as the streaming walk', () => {
  it('walks every sample message itself, with the parts, ids, names, findings and bodies of the stream walk', async () => {
    const files = (await readdir(SAMPLES)).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = await readFile(join(SAMPLES, file));
      for (const size of [0, 1, 7, 64, 1000]) {
        const { stream, held, viaParts } = await bothWalks(pieces(bytes, size));
        expect(held, `${file} in pieces of ${size}`).toEqual(stream);
        expect(viaParts).toEqual(stream);
      }
    }
  });

  it('agrees with the stream walk on generated nested and malformed structures, in any chunking', async () => {
    let handled = 0;
    await fc.assert(
      fc.asyncProperty(entity(4), fc.constantFrom(0, 3, 50), async (body, size) => {
        const { stream, held, viaParts } = await bothWalks(
          pieces(Buffer.from(`${head}${body}`, 'latin1'), size),
        );
        if (held) {
          handled++;
          expect(held).toEqual(stream);
        }
        expect(viaParts).toEqual(stream);
      }),
      { numRuns: 250 },
    );
    // The held walk hands over only when the splitter fails: most generated messages are its own.
    expect(handled).toBeGreaterThan(200);
  });

  it('hands a message to the stream walk where the splitter fails, with the same findings', async () => {
    const many = `${head}${mimeMultipart(
      'm',
      Array.from({ length: 12 }, () => mimePart(['Content-Type: text/plain'], 'x')),
    )}`;
    const limits = { ...DEFAULT_MESSAGE_LIMITS, maxParts: 5 };
    const { stream, held, viaParts } = await bothWalks([Buffer.from(many)], limits);
    expect(held).toBeUndefined();
    expect(viaParts).toEqual(stream);
    expect(stream.inventory.findings.some((f) => f.kind === 'limit')).toBe(true);

    const bigHeader = Buffer.from(`X-Long: ${'a'.repeat(5000)}\r\n${head}text`);
    const small = { ...DEFAULT_MESSAGE_LIMITS, maxHeaderBytes: 1024 };
    expect(await walkHeld([bigHeader], small, false)).toBeUndefined();
    const both = await bothWalks([bigHeader], small);
    expect(both.viaParts).toEqual(both.stream);
    expect(both.stream.inventory.findings.map((f) => f.kind)).toContain('limit');
  });

  it('keeps the part limit and the nesting limit as findings where it walks on', async () => {
    const deep = Array.from({ length: 6 }).reduce<string>(
      (inner) => mimePart(['Content-Type: message/rfc822'], `${head}${inner}`),
      mimePart(['Content-Type: application/octet-stream; name="x.exe"'], 'MZ'),
    );
    const limits = { ...DEFAULT_MESSAGE_LIMITS, maxDepth: 3, maxParts: 4 };
    const { stream, held } = await bothWalks([Buffer.from(`${head}${deep}`)], limits);
    expect(held).toEqual(stream);
    expect(stream.inventory.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['limit']));
  });
});
