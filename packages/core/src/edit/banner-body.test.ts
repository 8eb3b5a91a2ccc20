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
});

async function edited(message: string, edits: readonly Edit[]) {
  const result = editStream(source(message), edits, { bodyless: true });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(chunk as Buffer);
  return { out: Buffer.concat(chunks).toString(), ...(await result.result) };
}

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
