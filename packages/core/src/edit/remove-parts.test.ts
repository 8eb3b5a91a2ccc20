import { readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { applyEditFallbacks } from '../flow/edit-fallback.js';
import { DEFAULT_MESSAGE_LIMITS } from '../message/limits.js';
import { walkParts } from '../message/part-walk.js';
import { mimeMessage, mimeMultipart, mimePart } from '../testing/mime.js';
import { type Verdict, Verdicts } from '../verdicts.js';
import { applyEdits } from './apply-edits.js';
import { type Edit, EditError, EditQueue } from './edits.js';

const head = mimeMessage('', ['Date: Sun, 29 Nov 2026 10:00:00 +0000']);
const mixed = mimeMultipart;
const part = mimePart;
const exe = part(['Content-Type: text/plain; name="run.vbs"'], 'MsgBox "payload-marker"');
const inner = `${head}${mixed('i', [part(['Content-Type: text/plain'], 'inner text'), exe])}`;

async function strip(message: string, ids: string[]) {
  const queue = new EditQueue();
  queue.removeParts(ids, { note: 'Removed by policy.' });
  const result = await applyEdits(Readable.from([Buffer.from(message)]), queue.edits as Edit[]);
  const bytes = await readFile(result.path);
  await rm(result.path, { force: true });
  return { ...result, bytes };
}
const partsOf = async (bytes: Buffer) =>
  (await walkParts(Readable.from([bytes]), DEFAULT_MESSAGE_LIMITS)).parts;

describe('removeParts', () => {
  it('removes exactly the named part and keeps its siblings byte for byte', async () => {
    const message = `${head}${mixed('o', [part(['Content-Type: text/plain'], 'hello'), exe, part(['Content-Type: text/plain; name="run2.txt"'], 'keep me')])}`;
    const { bytes, changes } = await strip(message, ['3']);
    const text = bytes.toString();
    expect(text).not.toContain('payload-marker');
    expect(text).toContain('keep me');
    expect(text).toContain('Removed by policy.');
    expect(changes).toContain('removed attachment run.vbs');
  });

  it('rewrites attached messages, base64 or not, and keeps their encoding', async () => {
    for (const encoding of ['base64', '7bit']) {
      const body = encoding === '7bit' ? inner : Buffer.from(inner).toString('base64');
      const message = `${head}${mixed('o', [part(['Content-Type: text/plain'], 'see fw'), part(['Content-Type: message/rfc822', `Content-Transfer-Encoding: ${encoding === '7bit' ? '7bit' : 'base64'}`], body)])}`;
      const { bytes } = await strip(message, ['3/3']);
      const after = await partsOf(bytes);
      expect(after.some((p) => p.names.includes('run.vbs'))).toBe(false);
      expect(after.find((p) => p.id === '3/2')?.size).toBe('inner text'.length);
    }
  });

  it('refuses what it cannot remove, so the update fails rather than delivering it', async () => {
    const signed = `${head}Content-Type: multipart/signed; boundary="s"\r\n\r\n--s\r\n${mixed('m', [exe])}--s\r\n${part(['Content-Type: application/pkcs7-signature'])}\r\n--s--\r\n`;
    await expect(strip(signed, ['3'])).rejects.toThrow(/signed or encrypted/);
    await expect(strip(`${head}${mixed('o', [exe])}`, ['9'])).rejects.toThrow(/9 could not be removed/);
    await expect(strip(`${head}${mixed('o', [exe])}`, ['1'])).rejects.toThrow(/container/);
    const big = `${head}${mixed('o', [part(['Content-Type: message/rfc822'], inner)])}`;
    const queue = new EditQueue();
    queue.removeParts(['2/3']);
    await expect(
      applyEdits(Readable.from([Buffer.from(big)]), queue.edits as Edit[], { maxPartBytes: 64 }),
    ).rejects.toThrow(/cannot rewrite/);
    expect(() => new EditQueue().removeParts(['../1'])).toThrow(EditError);
    expect(() => new EditQueue().removeParts([])).toThrow(EditError);
  });
});

describe('applyEditFallbacks', () => {
  const edits: Edit[] = [
    {
      kind: 'remove-parts',
      ids: ['2'],
      note: 'n',
      fallback: { verdict: Verdicts.bounce('No.'), recipients: ['A@corp.example', 'c@corp.example'] },
    },
  ];
  it('gives the covered recipients who would receive the fallback when the update was not committed', () => {
    const verdicts = new Map<string, Verdict>([
      ['a@corp.example', Verdicts.DEFAULT],
      ['b@corp.example', Verdicts.DEFAULT],
      ['c@corp.example', Verdicts.DROP],
    ]);
    const lines = applyEditFallbacks(verdicts, edits, false, 'skipped: no Date');
    expect(verdicts.get('a@corp.example')?.type).toBe('BOUNCE');
    expect(verdicts.get('b@corp.example')?.type).toBe('DEFAULT');
    expect(verdicts.get('c@corp.example')?.type).toBe('DROP');
    expect(lines).toEqual(['parts 2 were not removed (skipped: no Date): BOUNCE:No. for 1 recipient(s)']);
    expect(applyEditFallbacks(new Map([['a@corp.example', Verdicts.DEFAULT]]), edits, true, '')).toEqual([]);
  });
});
