import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { LazyMessage, rule, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EML_DIR, eml, type Harness, startHarness } from '../../test/support/stack.js';
import { type BodyContainsOptions, bodyContains } from './index.js';
import { htmlToText, normalizeText } from './normalize.js';

// bodyContains reads the bodies from the single part walk (textBodies), not from a full parse. These
// cases run through the Message Flow emulator, and compare with what the full parse (mailparser) reads.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const CRLF = '\r\n';
const PHRASE = 'urgent wire transfer';

const fired = async (
  message: Buffer | string,
  options: BodyContainsOptions = { words: [PHRASE] },
  flowOptions = {},
) => {
  const { outcome } = await h.run(
    [
      when(
        bodyContains(options),
        rule('hit', (ctx) => ctx.note('hit')),
      ),
    ],
    message,
    {},
    flowOptions,
  );
  return { hit: (outcome.rulesFired as string[]).includes('hit'), failures: outcome.failures as unknown[] };
};

/** The same reading through the full parse and through the part walk, normalised as the matcher sees it. */
async function bothReadings(message: Buffer) {
  const open = async () => Readable.from([message]);
  const parsedMessage = new LazyMessage(open);
  const walked = new LazyMessage(open);
  const parsed = await parsedMessage.parsed();
  const bodies = await (walked.textBodies as () => ReturnType<NonNullable<LazyMessage['textBodies']>>)();
  await Promise.all([parsedMessage.close(), walked.close()]);
  const view = (b: { text?: string; html?: string }) => ({
    text: normalizeText(b.text ?? ''),
    html: normalizeText(htmlToText(b.html ?? '')),
  });
  return { parsed: view(parsed), walked: view(bodies) };
}

const mime = (headers: string[], body: string) => Buffer.from([...headers, '', body].join(CRLF), 'latin1');
const multipart = (type: string, parts: string[]) =>
  [...parts.map((p) => `--b-${type}${CRLF}${p}`), `--b-${type}--`, ''].join(CRLF);
const top = ['From: a@partner.example', 'To: b@corp.example', 'Subject: hello', 'MIME-Version: 1.0'];

const base64Text = (text: string, charset = 'utf-8') =>
  [
    `Content-Type: text/plain; charset=${charset}`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(text, charset === 'utf-8' ? 'utf8' : 'latin1')
      .toString('base64')
      .replace(/.{76}/g, `$&${CRLF}`),
  ].join(CRLF);

describe('bodyContains over the part walk', () => {
  it('reads every HTML5 character reference between the words of an HTML-only body (attacker round 7)', async () => {
    for (const space of ['&NonBreakingSpace;', '&ThickSpace;', '&emsp13;']) {
      const html = mime(
        [...top, 'Content-Type: text/html; charset=utf-8'],
        `<p>urgent${space}wire${space}transfer</p>`,
      );
      expect((await fired(html)).hit, space).toBe(true);
      expect((await fired(html, { words: [PHRASE], part: 'html' })).hit, `${space} (html)`).toBe(true);
    }
  });

  it('finds a phrase across chunk edges of a large base64 text part, wherever it falls', async () => {
    for (const at of [16_383, 65_530, 65_536, 131_070]) {
      const text = `${'x '.repeat(at / 2)}${PHRASE} ${'y '.repeat(40_000)}`;
      const message = mime(
        [...top, 'Content-Type: multipart/mixed; boundary="b-m"'],
        multipart('m', [base64Text(text)]),
      );
      expect((await fired(message)).hit).toBe(true);
      const { parsed, walked } = await bothReadings(message);
      expect(walked).toEqual(parsed);
    }
  });

  it('joins quoted-printable soft line breaks and flowed lines (delsp) before matching', async () => {
    const qp = mime(
      [...top, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
      `Please make an urgent wi=${CRLF}re trans=${CRLF}fer today.`,
    );
    expect((await fired(qp)).hit).toBe(true);
    const flowed = mime(
      [...top, 'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes'],
      `Please make an urgent wi ${CRLF}re transfer today.`,
    );
    expect((await fired(flowed)).hit).toBe(true);
    for (const m of [qp, flowed]) {
      const { parsed, walked } = await bothReadings(m);
      expect(walked).toEqual(parsed);
    }
  });

  it('decodes other charsets: Latin-1, windows-1251 and Shift_JIS', async () => {
    const latin = mime(
      [...top, 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit'],
      'Bitte \u00dcberweisung dringend ausf\u00fchren.',
    );
    expect((await fired(latin, { words: ['überweisung dringend'] })).hit).toBe(true);
    const cyrillic = Buffer.concat([
      mime([...top, 'Content-Type: text/plain; charset=windows-1251', 'Content-Transfer-Encoding: 8bit'], ''),
      Buffer.from('f1f0eef7edee20efe5f0e5e2eee4', 'hex'),
    ]);
    expect((await fired(cyrillic, { words: ['СРОЧНО перевод'] })).hit).toBe(true);
    const japanese = mime(
      [...top, 'Content-Type: text/plain; charset=shift_jis', 'Content-Transfer-Encoding: base64'],
      'joqLfZGXi+CCtYLEgq2CvoKzgqI=',
    );
    expect((await fired(japanese, { words: ['送金'] } as never)).hit).toBe(false); // whole words only
    expect((await fired(japanese, { substrings: ['至急送金'] } as never)).hit).toBe(true);
    for (const m of [latin, cyrillic, japanese]) {
      const { parsed, walked } = await bothReadings(m);
      expect(walked).toEqual(parsed);
    }
  });

  it('reads HTML-only mail through the linear HTML-to-text, tags and entities included', async () => {
    const html = mime(
      [...top, 'Content-Type: text/html; charset=utf-8'],
      '<p>Please, <b>urgent</b>&nbsp;wire <i>transfer</i></p>',
    );
    expect((await fired(html)).hit).toBe(true);
    expect((await fired(html, { words: [PHRASE], part: 'text' } as never)).hit).toBe(true);
    const alternative = mime(
      [...top, 'Content-Type: multipart/alternative; boundary="b-a"'],
      multipart('a', [
        `Content-Type: text/plain${CRLF}${CRLF}Nothing to see.`,
        `Content-Type: text/html${CRLF}${CRLF}<div>urgent <span>wire</span> transfer</div>`,
      ]),
    );
    expect((await fired(alternative, { words: [PHRASE], part: 'text' } as never)).hit).toBe(false);
    expect((await fired(alternative, { words: [PHRASE], part: 'html' })).hit).toBe(true);
    for (const m of [html, alternative]) {
      const { parsed, walked } = await bothReadings(m);
      expect(walked).toEqual(parsed);
    }
  });

  it('reads attached messages (plain or base64) and their shown headers; not text attachments', async () => {
    const inner = [
      'From: boss@partner.example',
      'Subject: urgent wire transfer',
      'Content-Type: text/plain',
      '',
      'Please pay today.',
    ].join(CRLF);
    const forwarded = (encoding: '7bit' | 'base64') =>
      mime(
        [...top, 'Content-Type: multipart/mixed; boundary="b-m"'],
        multipart('m', [
          `Content-Type: text/plain${CRLF}${CRLF}See below.`,
          [
            'Content-Type: message/rfc822',
            `Content-Transfer-Encoding: ${encoding}`,
            '',
            encoding === 'base64' ? Buffer.from(inner).toString('base64') : inner,
          ].join(CRLF),
        ]),
      );
    expect((await fired(forwarded('7bit'))).hit).toBe(true);
    expect((await fired(forwarded('base64'))).hit).toBe(true);
    expect((await fired(forwarded('base64'), { words: ['pay today'] })).hit).toBe(true);
    const attachedText = mime(
      [...top, 'Content-Type: multipart/mixed; boundary="b-m"'],
      multipart('m', [
        `Content-Type: text/plain${CRLF}${CRLF}Invoice attached.`,
        `Content-Type: text/plain; name="notes.txt"${CRLF}Content-Disposition: attachment; filename="notes.txt"${CRLF}${CRLF}${PHRASE}`,
      ]),
    );
    expect((await fired(attachedText)).hit).toBe(false);
    const { parsed, walked } = await bothReadings(attachedText);
    expect(walked).toEqual(parsed);
  });

  it('fails (never passes) when the structure exceeds the limits, as the full parse does', async () => {
    const many = mime(
      [...top, 'Content-Type: multipart/mixed; boundary="b-m"'],
      multipart(
        'm',
        Array.from({ length: 6 }, (_, i) => `Content-Type: text/plain${CRLF}${CRLF}part ${i}`),
      ),
    );
    const limited = await fired(many, { words: [PHRASE] }, { message: { limits: { maxParts: 3 } } });
    expect(limited.hit).toBe(false);
    expect(JSON.stringify(limited.failures)).toMatch(/maxParts/);
    // Attached messages five deep: the full parse stops at three, and so does the walk's reading.
    let nested = `Subject: innermost${CRLF}Content-Type: text/plain${CRLF}${CRLF}${PHRASE}`;
    for (let i = 0; i < 5; i++)
      nested = `Subject: level ${i}${CRLF}Content-Type: message/rfc822${CRLF}${CRLF}${nested}`;
    const deep = await fired(Buffer.from(`From: a@partner.example${CRLF}${nested}`));
    expect(deep.hit).toBe(false);
    expect(JSON.stringify(deep.failures)).toMatch(/nested deeper/);
  });

  it('reads every sample message as the full parse does', async () => {
    const names = (await readdir(EML_DIR)).filter((n) => n.endsWith('.eml'));
    for (const name of names) {
      const message = await eml(name);
      // Attached messages: the walk reads more of them (base64 ones, and all their headers shown).
      if (/message\/rfc822/i.test(message.toString('latin1'))) continue;
      const { parsed, walked } = await bothReadings(message);
      expect({ name, ...walked }).toEqual({ name, ...parsed });
    }
  });
});
