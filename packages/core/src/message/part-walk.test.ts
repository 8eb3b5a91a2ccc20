import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mimeMessage, mimeMultipart, mimePart } from '../testing/mime.js';
import { nameVariants, normalizeFileName } from './file-names.js';
import { DEFAULT_MESSAGE_LIMITS } from './limits.js';
import { partNaming } from './part-names.js';
import { walkParts } from './part-walk.js';

const walk = (text: string, limits = DEFAULT_MESSAGE_LIMITS) =>
  walkParts(Readable.from([Buffer.from(text, 'latin1')]), limits);
const mixed = mimeMultipart;
const part = mimePart;
const head = mimeMessage(''); // the top-level header lines, ending in CRLF

describe('part names', () => {
  it('reads every name of every naming header, plain, RFC 2231 and RFC 2047', () => {
    const n = partNaming(
      ['application/pdf; name="=?utf-8?B?aW52b2ljZS52YnM=?="'],
      ["attachment; filename*0*=utf-8''a%20b; filename*1=.pdf"],
    );
    expect(n.names).toEqual(['invoice.vbs', 'a b.pdf']);
    expect(n.problems).toEqual([]);
  });

  it('finds repeats that differ, and lets identical repeats pass', () => {
    expect(partNaming(['text/plain', 'text/html'], []).problems).toEqual([
      '2 different Content-Type headers',
    ]);
    expect(partNaming([], ['inline', 'inline']).problems).toEqual([]);
    const twice = partNaming([], ['attachment; filename="a.pdf"; filename="a.exe"']);
    expect(twice.names).toContain('a.exe');
    expect(twice.problems).toEqual(['Content-Disposition gives the filename parameter different values']);
    expect(partNaming(['x/y; name="a;b.exe"'], []).names).toEqual(['a;b.exe']);
  });

  it('normalizes names the way a file system stores them, in linear time', () => {
    expect(normalizeFileName('a.vbs::$DATA')).toBe('a.vbs');
    expect(normalizeFileName('a.v\u007fbs. . ')).toBe('a.vbs');
    expect(normalizeFileName('in\u202evoice\u200b.exe')).toBe('invoice.exe');
    // Also without the colons, as Exchange saves a name without the characters Windows refuses (attacker round 64).
    expect(nameVariants('Re: x.exe:s:$DATA')).toEqual(
      ['Re: x.exe:s', 'Re x.exes', 'Re', ' x.exe', 's'].map(normalizeFileName),
    );
    expect(nameVariants('a.vbſ:x')).toEqual([
      'a.vbſ:x',
      'a.vbs:x',
      'a.vbſx',
      'a.vbsx',
      'a.vbſ',
      'x',
      'a.vbs',
      'x',
    ]);
    const long = `${'. '.repeat(200_000)}x`;
    expect(normalizeFileName(long)).toBe(long); // a run that does not end the name is kept (and not backtracked)
  });
});

describe('walkParts', () => {
  it('numbers parts in one walk and descends into attached messages in any transfer encoding', async () => {
    const inner = `${head}${mixed('i', [part(['Content-Type: text/plain']), part(['Content-Type: application/octet-stream; name="x.exe"', 'Content-Transfer-Encoding: base64'], 'TVqQAA==')])}`;
    const { parts, findings } = await walk(
      `${head}${mixed('o', [
        part(['Content-Type: text/plain']),
        part(
          ['Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64'],
          Buffer.from(inner).toString('base64'),
        ),
        part(['Content-Type: message/rfc822'], inner),
      ])}`,
    );
    expect(findings).toEqual([]);
    expect(parts.map((p) => p.id)).toEqual(['1', '2', '3', '3/1', '3/2', '3/3', '4', '4/1', '4/2', '4/3']);
    const exe = parts.filter((p) => p.names.includes('x.exe'));
    expect(exe.map((p) => [p.id, p.depth, p.sniffedType, p.size])).toEqual([
      ['3/3', 1, 'application/x-msdownload', 4],
      ['4/3', 1, 'application/x-msdownload', 4],
    ]);
  });

  it('marks signed content and related images', async () => {
    const { parts } = await walk(
      `${head}Content-Type: multipart/signed; boundary="s"\r\n\r\n--s\r\n${mixed('r', [part(['Content-Type: image/png', 'Content-ID: <a>'])]).replace('mixed', 'related')}--s\r\n${part(['Content-Type: application/pkcs7-signature'])}\r\n--s--\r\n`,
    );
    const png = parts.find((p) => p.contentType === 'image/png');
    expect(png?.protectedBy).toBe('multipart/signed');
    expect(png?.related).toBe(true);
  });

  it('keeps reading past an attached message whose walk stopped at a limit', async () => {
    const inner = mimeMessage(
      mixed('i', [
        ...Array.from({ length: 12 }, () => part(['Content-Type: text/plain'])),
        part(['Content-Type: application/octet-stream'], 'A'.repeat(4 * 1024 * 1024)),
      ]),
    );
    const message = `${head}${mixed('o', [part(['Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64'], Buffer.from(inner).toString('base64').replace(/.{76}/g, '$&\r\n')), part(['Content-Type: text/plain; name="after.vbs"'])])}`;
    const { parts, findings } = await walk(message, { ...DEFAULT_MESSAGE_LIMITS, maxParts: 10 });
    // It ends (no stall on the stopped inner walk), and what it could not see is a finding, not a pass.
    expect(new Set(findings.map((f) => f.reason))).toEqual(new Set(['more than 10 MIME parts']));
    expect(parts.some((p) => p.names.includes('after.vbs'))).toBe(false);
  });

  it('reports limits and malformed structure as findings, never throwing', async () => {
    const many = mixed(
      'm',
      Array.from({ length: 12 }, () => part(['Content-Type: text/plain'])),
    );
    const limits = { ...DEFAULT_MESSAGE_LIMITS, maxParts: 10, maxDepth: 3, maxHeaderBytes: 2048 };
    expect((await walk(`${head}${many}`, limits)).findings.map((f) => f.reason)).toEqual([
      'more than 10 MIME parts',
    ]);
    let deep = part(['Content-Type: text/plain']);
    for (let i = 0; i < 5; i++) deep = mixed(`d${i}`, [deep]);
    expect((await walk(`${head}${deep}`, limits)).findings[0]?.reason).toBe('MIME nesting deeper than 3');
    const big = await walk(`${head}${mixed('h', [part([`X-Pad: ${'a'.repeat(4096)}`])])}`, limits);
    expect(big.findings[0]?.kind).toBe('limit');
    const opaque = await walk(
      `${head}Content-Type: multipart/mixed\r\n\r\n--guess\r\nContent-Type: text/plain\r\n\r\nx\r\n`,
    );
    expect(opaque.findings.map((f) => f.kind)).toEqual(['malformed']);
    const quiet = await walk(`${head}Content-Type: multipart/alternative\r\n\r\nBlah blah\r\n-- \r\nsig\r\n`);
    expect(quiet.findings).toEqual([]);
  });
});
