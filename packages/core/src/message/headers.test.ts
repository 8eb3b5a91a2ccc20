import fc from 'fast-check';
import libmime from 'libmime';
import addressparser, { type Address } from 'nodemailer/lib/addressparser';
import { describe, expect, it } from 'vitest';
import { MessageHeaders } from './headers.js';

// What the fields gave when each view parsed its values on its own (the reference for the shared parse).
function decode(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}
function referenceMailboxes(values: string[]): { name: string; address: string }[] {
  return values.flatMap((v) =>
    (addressparser(v, { flatten: true }) as Address[]).map((a) => ({
      name: decode(a.name ?? ''),
      address: a.address ?? '',
    })),
  );
}
function referenceGroups(values: string[]): string[] {
  const groupsOf = (list: Address[]): string[] =>
    list.flatMap((a) => (a.group ? [a.name ?? '', ...groupsOf(a.group)] : []));
  return values.flatMap((v) => groupsOf(addressparser(v) as Address[]).map(decode));
}

const piece = fc.constantFrom(
  'Jane Doe <jane@corp.example>',
  '"Doe, Jane" <jane@corp.example>',
  'x@evil.example',
  '=?utf-8?B?SsOhbmUgRG9l?= <j@x.example>',
  '=?iso-8859-1?Q?Andr=E9?= <a@b.example>',
  'Team: a@x.example, b@y.example;',
  'Outer: Inner: c@z.example;;',
  'Empty group:;',
  '(comment) d@e.example',
  '<just@angle.example>',
  'undisclosed-recipients:;',
  '"quoted \\" name" <q@q.example>',
  'broken <no-end@x.example',
  '@@@',
  '',
);
const fieldValue = fc.array(piece, { maxLength: 4 }).map((p) => p.join(', '));
const block = fc
  .record({
    from: fc.array(fieldValue, { maxLength: 2 }),
    sender: fc.array(fieldValue, { maxLength: 1 }),
    replyTo: fc.array(fieldValue, { maxLength: 2 }),
  })
  .map((f) => ({
    fields: f,
    bytes: Buffer.from(
      [
        ...f.from.map((v) => `From: ${v}`),
        ...f.sender.map((v) => `SENDER: ${v}`),
        ...f.replyTo.map((v) => `reply-to: ${v}`),
        'Subject: s',
        '',
        '',
      ].join('\r\n'),
    ),
  }));

describe('MessageHeaders address views', () => {
  it('give the mailboxes and group names of parsing each value on its own, in any order of asking', () => {
    fc.assert(
      fc.property(block, fc.boolean(), ({ fields, bytes }, groupsFirst) => {
        const h = new MessageHeaders(bytes);
        // `all()` trims values as the header parser does: the reference gets the same strings.
        const values = { from: h.all('from'), sender: h.all('sender'), replyTo: h.all('reply-to') };
        expect(values.from.length).toBe(fields.from.length);
        const groups = () => ({
          from: h.groupNames('From'),
          sender: h.groupNames('sender'),
          replyTo: h.groupNames('Reply-To'),
        });
        const first = groupsFirst ? groups() : undefined;
        expect(h.from).toEqual(referenceMailboxes(values.from));
        expect(h.sender).toEqual(referenceMailboxes(values.sender));
        expect(h.replyTo).toEqual(referenceMailboxes(values.replyTo));
        for (const g of [first ?? groups(), groups()]) {
          expect(g.from).toEqual(referenceGroups(values.from));
          expect(g.sender).toEqual(referenceGroups(values.sender));
          expect(g.replyTo).toEqual(referenceGroups(values.replyTo));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hands out copies: changing what one call gave does not change the next', () => {
    const h = new MessageHeaders(Buffer.from('From: Team: a@x.example;, Jane <j@y.example>\r\n\r\n'));
    const boxes = h.from;
    (boxes[0] as { name: string }).name = 'changed';
    boxes.push({ name: 'n', address: 'n@n.example' });
    const names = h.groupNames('from');
    names.push('extra');
    expect(h.from).toEqual([
      { name: '', address: 'a@x.example' },
      { name: 'Jane', address: 'j@y.example' },
    ]);
    expect(h.groupNames('from')).toEqual(['Team']);
  });
});
