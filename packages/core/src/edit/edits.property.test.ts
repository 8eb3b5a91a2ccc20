import { readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageHeaders } from '../message/headers.js';
import { checkUpdate } from '../mime/update-check.js';
import { applyEdits } from './apply-edits.js';
import { EditError, EditQueue } from './edits.js';

const original = Buffer.from(
  [
    'From: Sender <sender@external.example>',
    'To: user@corp.example',
    'Subject: Quarterly numbers',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Message-ID: <m1@external.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello team.',
    '',
  ].join('\r\n'),
);

async function applied(build: (q: EditQueue) => void, input: Buffer = original): Promise<Buffer> {
  const q = new EditQueue();
  build(q);
  const result = await applyEdits(Readable.from([input]), q.edits);
  const bytes = await readFile(result.path);
  await rm(result.path);
  return bytes;
}

const headerBlock = (bytes: Buffer) => new MessageHeaders(bytes.subarray(0, bytes.indexOf('\r\n\r\n') + 4));

describe('editor invariants (property)', () => {
  it('an added header value is refused or arrives intact, alone, 7-bit and acceptable to WorkMail', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 120 }), async (value) => {
        let bytes: Buffer;
        try {
          bytes = await applied((q) => q.addHeader('X-Prop', value));
        } catch (error) {
          expect(error).toBeInstanceOf(EditError);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the editor refuses
          expect(/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)).toBe(true);
          return;
        }
        const headers = headerBlock(bytes);
        expect(headers.all('x-prop')).toHaveLength(1);
        // Folding whitespace (SP, HTAB) may be refolded; every other character arrives as given.
        const fold = (text: string) => text.replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
        expect(fold(headers.decoded('x-prop') ?? '')).toBe(fold(value));
        expect(headers.fields.map((f) => f.name)).toEqual([
          'X-Prop',
          ...headerBlock(original).fields.map((f) => f.name),
        ]);
        expect(await checkUpdate(original, bytes)).toEqual({ ok: true });
      }),
      { numRuns: 150 },
    );
  });

  it('a subject prefix applied twice equals it applied once', async () => {
    const prefix = fc.stringMatching(/^\[[A-Za-z0-9 äöü-]{1,12}\]$/);
    await fc.assert(
      fc.asyncProperty(prefix, async (p) => {
        const once = await applied((q) => q.prefixSubject(p));
        const twice = await applied((q) => q.prefixSubject(p), once);
        expect(twice.equals(once)).toBe(true);
        expect(headerBlock(once).subject).toBe(`${p.trim()} Quarterly numbers`);
      }),
      { numRuns: 60 },
    );
  });
});
