import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { editStream, lacksBannerBody } from './apply-edits.js';
import type { Edit } from './edits.js';

const CRLF = '\r\n';
const BANNER: Edit[] = [{ kind: 'disclaimer', disclaimer: { text: 'External sender', position: 'top' } }];
const FOOTER: Edit[] = [{ kind: 'disclaimer', disclaimer: { text: 'Sent from corp', position: 'bottom' } }];
const head = (type: string) =>
  ['From: a@outside.example', 'Subject: s', 'MIME-Version: 1.0', `Content-Type: ${type}`, '', ''].join(CRLF);
const picture = ['Content-Type: image/png', 'Content-Transfer-Encoding: base64', '', 'AAAA'];
const mixed = (...parts: string[][]) =>
  `${head('multipart/mixed; boundary="m"')}${[...parts.flatMap((p) => ['--m', ...p]), '--m--', ''].join(CRLF)}`;
/** A related whose `start` names a picture, after a first HTML part no client shows. */
const RELATED_DECOY = `${head('multipart/related; start="<r>"; boundary="r"')}${[
  '--r',
  'Content-Type: text/html',
  '',
  '<p>decoy</p>',
  '--r',
  'Content-ID: <r>',
  ...picture,
  '--r--',
  '',
].join(CRLF)}`;
const source = (text: string) => Readable.from([Buffer.from(text)]);

/** A message of `first`, then `chunks` lines of 64 KiB of base64, made as they are read; `pulled` counts them. */
function endless(first: string, chunks: number) {
  const counter = { pulled: 0 };
  const line = `${'A'.repeat(76)}${CRLF}`.repeat(840);
  const stream = Readable.from(
    (function* () {
      yield Buffer.from(first);
      for (let i = 0; i < chunks; i++) {
        counter.pulled++;
        yield Buffer.from(line);
      }
      yield Buffer.from(`--m--${CRLF}`);
    })(),
  );
  return { stream, counter };
}

/** A source that sends `first`, then fails. */
function failingAfter(first: string): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from(first);
      throw new Error('connection reset after the first part');
    })(),
  );
}

describe('lacksBannerBody', () => {
  it('is true for a multipart with only a picture, false once a text body is there', async () => {
    expect(await lacksBannerBody(source(mixed(picture)), BANNER)).toBe(true);
    expect(
      await lacksBannerBody(source(mixed(picture, ['Content-Type: text/plain', '', 'hi'])), BANNER),
    ).toBe(false);
  });

  it('is false without a banner, and for a single-part root (the rewrite wraps those itself)', async () => {
    expect(await lacksBannerBody(source(mixed(picture)), FOOTER)).toBe(false);
    expect(await lacksBannerBody(source(`${head('image/png')}AAAA${CRLF}`), BANNER)).toBe(false);
  });

  it('stops at the first body part: of 25 MB after it, no more than a few chunks are read', async () => {
    const start = `${head('multipart/mixed; boundary="m"')}--m${CRLF}Content-Type: text/plain${CRLF}${CRLF}hi${CRLF}--m${CRLF}${picture.slice(0, 3).join(CRLF)}${CRLF}`;
    const { stream, counter } = endless(start, 400);
    expect(await lacksBannerBody(stream, BANNER)).toBe(false);
    expect(counter.pulled).toBeLessThan(40);
    // Control: with no text body, the same message is read to its end.
    const image = endless(
      `${head('multipart/mixed; boundary="m"')}--m${CRLF}${picture.slice(0, 3).join(CRLF)}${CRLF}`,
      400,
    );
    expect(await lacksBannerBody(image.stream, BANNER)).toBe(true);
    expect(image.counter.pulled).toBe(400);
  });

  it('fails with the source when it fails before deciding', async () => {
    const start = `${head('multipart/mixed; boundary="m"')}--m${CRLF}${picture.join(CRLF)}${CRLF}--m${CRLF}`;
    await expect(lacksBannerBody(failingAfter(start), BANNER)).rejects.toThrow('connection reset');
  });

  it('does not take a text part before the root a related start= names as proof of a body', async () => {
    expect(await lacksBannerBody(source(RELATED_DECOY), BANNER)).toBe(true);
  });

  it('counts an alternative only when every branch has a body (a client may show the one without)', async () => {
    const alternative = (...branches: string[][]) =>
      [...branches.flatMap((p) => ['--a', ...p]), '--a--', ''].join(CRLF);
    const plain = ['Content-Type: text/plain', '', 'hi'];
    const html = ['Content-Type: text/html', '', '<p>hi</p>'];
    const related = ['Content-Type: multipart/related; boundary="r"', '', '--r', ...picture, '--r--'];
    const calendar = ['Content-Type: text/calendar', '', 'BEGIN:VCALENDAR'];
    const root = head('multipart/alternative; boundary="a"');
    expect(await lacksBannerBody(source(root + alternative(plain, related)), BANNER)).toBe(true);
    expect(await lacksBannerBody(source(root + alternative(plain, picture)), BANNER)).toBe(true);
    expect(await lacksBannerBody(source(root + alternative(plain, html)), BANNER)).toBe(false);
    expect(await lacksBannerBody(source(root + alternative(plain, html, calendar)), BANNER)).toBe(false);
    expect(await lacksBannerBody(source(root + alternative(calendar)), BANNER)).toBe(true);
    // Nested: the inner alternative's picture branch leaves the outer's second branch without a sure body.
    const inner = [
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      ...plain,
      '--b',
      ...picture,
      '--b--',
    ];
    expect(await lacksBannerBody(source(root + alternative(html, inner)), BANNER)).toBe(true);
    // Inside a multipart/mixed, the alternative closes at the next part: a picture after it is not read.
    const start = `${head('multipart/mixed; boundary="m"')}--m${CRLF}Content-Type: multipart/alternative; boundary="a"${CRLF}${CRLF}${alternative(plain, html)}--m${CRLF}${picture.slice(0, 3).join(CRLF)}${CRLF}`;
    const { stream, counter } = endless(start, 400);
    expect(await lacksBannerBody(stream, BANNER)).toBe(false);
    expect(counter.pulled).toBeLessThan(40);
  });

  it('does not count a text attachment or a signed body as one every client shows', async () => {
    const file = ['Content-Type: text/plain', 'Content-Disposition: attachment; filename="a.txt"', '', 'hi'];
    expect(await lacksBannerBody(source(mixed(file, picture)), BANNER)).toBe(true);
    expect(
      await lacksBannerBody(source(mixed(file, ['Content-Type: text/html', '', '<p>hi</p>'])), BANNER),
    ).toBe(false);
    const signed = [
      'Content-Type: multipart/signed; protocol="application/pgp-signature"; boundary="s"',
      '',
      '--s',
      'Content-Type: text/plain',
      '',
      'hi',
      '--s',
      'Content-Type: application/pgp-signature',
      '',
      'AAAA',
      '--s--',
    ];
    expect(await lacksBannerBody(source(mixed(signed)), BANNER)).toBe(true);
  });
});

async function edited(message: string, edits: readonly Edit[]) {
  const result = editStream(source(message), edits, { bodyless: true });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(chunk as Buffer);
  return { out: Buffer.concat(chunks).toString(), ...(await result.result) };
}

describe('editStream, a single-part body whose banner cannot be added (attacker round 59)', () => {
  async function run(message: string, options: { maxPartBytes?: number } = {}) {
    const result = editStream(Readable.from([Buffer.from(message, 'latin1')]), BANNER, options);
    const chunks: Buffer[] = [];
    for await (const chunk of result.stream) chunks.push(chunk as Buffer);
    return { out: Buffer.concat(chunks).toString('latin1'), ...(await result.result) };
  }
  it('wraps a page in an unknown charset with a byte that does not decode, its bytes kept', async () => {
    const { out, changes } = await run(`${head('text/html; charset=x-klingon')}<p>caf\xe9</p>${CRLF}`);
    expect(changes).toContain('wrapped text/html body it could not edit after a disclaimer part');
    expect(out).toMatch(/boundary="wmflow-wrap-/);
    expect(out.indexOf('External sender')).toBeLessThan(out.indexOf('<p>caf'));
  });
  it('wraps a body over the edit size, and leaves a footer alone', async () => {
    const big = await run(`${head('text/plain')}${'x'.repeat(200)}${CRLF}`, { maxPartBytes: 64 });
    expect(big.changes).toContain('wrapped text/plain body it could not edit after a disclaimer part');
    expect(big.out.indexOf('External sender')).toBeLessThan(big.out.indexOf('xxxx'));
    const footer = editStream(source(`${head('text/html; charset=x-klingon')}<p>caf\xe9</p>${CRLF}`), FOOTER);
    for await (const _ of footer.stream);
    expect((await footer.result).changes.some((c) => c.startsWith('wrapped'))).toBe(false);
  });
});

describe('editStream with bodyless', () => {
  it('still applies text transforms to parts inside the wrap, the banner once in its own part', async () => {
    const transform: Edit = { kind: 'transform-text', match: () => true, transform: (t) => t.toUpperCase() };
    const { out } = await edited(RELATED_DECOY, [...BANNER, transform]);
    expect(out).toContain('<P>DECOY</P>');
    expect(out.split('External sender').length - 1).toBe(1);
  });

  it('wraps the multipart after a banner part, the original body kept byte for byte', async () => {
    const message = mixed(picture);
    const edited = editStream(source(message), BANNER, { bodyless: true });
    const chunks: Buffer[] = [];
    for await (const chunk of edited.stream) chunks.push(chunk as Buffer);
    const out = Buffer.concat(chunks).toString();
    expect((await edited.result).changes).toContain(
      'wrapped multipart/mixed with no text body after a disclaimer part',
    );
    const boundary = /boundary="(wmflow-wrap-[^"]+)"/.exec(out)?.[1];
    expect(boundary).toBeDefined();
    const [, banner, original] = out.split(`--${boundary}`);
    expect(banner).toContain('External sender');
    expect(original).toBe(
      `${CRLF}Content-Type: multipart/mixed; boundary="m"${CRLF}${CRLF}${message.slice(message.indexOf('--m'))}${CRLF}`,
    );
  });
});
