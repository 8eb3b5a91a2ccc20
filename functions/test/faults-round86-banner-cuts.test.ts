/**
 * Fault round 86: the guard's banner rewrite (attacker round 105's page scan: html-scan.ts,
 * outlook-conditionals.ts, body-edits.ts) under faults, over the local Message Flow emulator and S3 through the real
 * SDK clients. GetRawMessageContent is cut (its Content-Length announced) mid-comment, mid-script, mid-template,
 * mid-title and just after the body tag, and reset, or held open past the deadline. Asked: no update committed from
 * a cut read (nothing truncated or spliced), the invocation fails so WorkMail retries, and the retry commits exactly
 * what a clean run commits.
 */
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { fingerprint, invoke, UPDATES } from './fault-harness.js';
import { cuttingProxy } from './faults-round86-proxy.js';
import { stackBehind } from './scripted-proxy.js';

const t = stackBehind(cuttingProxy, [UPDATES]);
beforeEach(() => {
  t.s3.holdPuts = false;
  t.flow.cut = undefined;
  t.flow.cuts = 0;
});

const ENV = {
  ORGANIZATION_DOMAINS: 'corp.example',
  UPDATES_BUCKET: UPDATES,
  EXTERNAL_MARKER_KEY: 'fault-round-86-marker-key-0123456789',
};
const INBOX = ['bob@corp.example'];

const PAGE = [
  '<!DOCTYPE html><html><head><title>Invoice <!-- a title comment --> no. 7</title>',
  '<style><!-- p { color: red } /* <!--[if mso]> */ --></style>',
  '<script><!--<script>var a = "</scriptx></head><body>";</script>-->',
  '</script>',
  '<template><body>not the body</body><template>nested</template></template>',
  '<!--[if mso]><style>.x{}</style><![endif]-->',
  '</head><body class="m"><!-- a body comment <body> -->',
  `<p>${'Pay the attached invoice today. '.repeat(400)}</p>`,
  '<script>/* late <!-- script */</script>',
  '</body></html>',
].join('\r\n');

function page(html: string, encoding: 'quoted-printable' | '7bit' = '7bit'): Buffer {
  const body = encoding === '7bit' ? html : html.replace(/=/g, '=3D').replace(/.{70}/g, (l) => `${l}=\r\n`);
  return Buffer.from(
    [
      'From: Mallory <m@evil.example>',
      'To: bob@corp.example',
      'Subject: Invoice',
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      'Message-ID: <r86-banner@evil.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Pay the attached invoice today.',
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      `Content-Transfer-Encoding: ${encoding}`,
      '',
      body,
      '--alt--',
      '',
    ].join('\r\n'),
    'latin1',
  );
}

// The seal is keyed per message (its id): masked, so two messages of the same bytes compare.
const unsealed = (b: Buffer | undefined) =>
  fingerprint(
    Buffer.from(
      (b ?? Buffer.alloc(0)).toString('latin1').replace(/^X-Wmflow-External-Seal: [0-9a-f]+\r\n/m, ''),
      'latin1',
    ),
  );

/** What a clean run commits for `bytes`. */
async function clean(bytes: Buffer): Promise<Buffer> {
  const id = t.stack.flow.load(bytes);
  const { error } = await invoke(
    guard(ENV),
    makeFlowEvent({ messageId: id, recipients: INBOX, mailFrom: 'm@evil.example' }),
  );
  expect(error).toBeUndefined();
  const versions = t.stack.flow.history(id);
  expect(versions.length).toBe(2);
  return versions[1]?.content as Buffer;
}

const MARKS = [
  'a title comment',
  '<!--<script>',
  '</scriptx>',
  'not the body',
  'nested',
  '[if mso]><style>',
  'class="m"',
  'a body comment',
  'late <!--',
  '</body>',
];

for (const encoding of ['7bit', 'quoted-printable'] as const) {
  describe(`a cut read of a ${encoding} page`, () => {
    const bytes = page(PAGE, encoding);
    const marks = encoding === '7bit' ? MARKS : ['Invoice', 'script', 'template', 'body', 'late'];
    for (const mark of marks) {
      it(`reset inside ${JSON.stringify(mark)}: no update, the invocation fails, the retry commits the clean run's bytes`, async () => {
        const expected = await clean(bytes);
        expect(expected.includes(Buffer.from('</body></html>'))).toBe(true);
        const at = bytes.indexOf(Buffer.from(mark, 'latin1'));
        expect(at).toBeGreaterThan(0);
        const failures: string[] = [];
        for (const keep of [at, at + 1, at + Math.floor(mark.length / 2), at + mark.length - 1]) {
          const id = t.stack.flow.load(bytes);
          const event = makeFlowEvent({ messageId: id, recipients: INBOX, mailFrom: 'm@evil.example' });
          t.flow.cut = { keep, how: 'reset' };
          const cut = await invoke(guard(ENV), event);
          t.flow.cut = undefined;
          if (!cut.error)
            failures.push(`keep ${keep}: answered ${JSON.stringify(cut.response)} from a cut read`);
          if (t.stack.flow.history(id).length !== 1)
            failures.push(`keep ${keep}: an update committed from a cut read`);
          const retry = await invoke(guard(ENV), event);
          if (retry.error) failures.push(`keep ${keep}: retry failed: ${retry.error.message}`);
          const versions = t.stack.flow.history(id);
          if (versions.length !== 2)
            failures.push(`keep ${keep}: ${versions.length - 1} updates after the retry`);
          else if (JSON.stringify(unsealed(versions[1]?.content)) !== JSON.stringify(unsealed(expected)))
            failures.push(`keep ${keep}: the retry's update differs from the clean run's`);
        }
        expect(t.flow.cuts).toBeGreaterThan(0);
        expect(failures).toEqual([]);
      }, 120_000);
    }
  });
}

describe('a read held open past the deadline', () => {
  it('the guard answers or fails, never commits a cut page, and the retry commits the clean bytes', async () => {
    const bytes = page(PAGE);
    const expected = await clean(bytes);
    const at = bytes.indexOf(Buffer.from('<!--<script>'));
    const id = t.stack.flow.load(bytes);
    const event = makeFlowEvent({ messageId: id, recipients: INBOX, mailFrom: 'm@evil.example' });
    t.flow.cut = { keep: at + 3, how: 'stall' };
    await invoke(guard(ENV), event, 4_000);
    t.flow.cut = undefined;
    // Whatever it answered, nothing cut was committed.
    expect(t.stack.flow.history(id).length).toBe(1);
    const retry = await invoke(guard(ENV), event);
    expect(retry.error).toBeUndefined();
    const versions = t.stack.flow.history(id);
    expect(versions.length).toBe(2);
    expect(unsealed(versions[1]?.content)).toEqual(unsealed(expected));
  }, 120_000);
});

function withCharset(html: Buffer, charset: string, encoding = '8bit'): Buffer {
  return Buffer.concat([
    Buffer.from(
      [
        'From: Mallory <m@evil.example>',
        'To: bob@corp.example',
        'Subject: Invoice',
        'Date: Mon, 7 Dec 2026 10:00:00 +0000',
        'Message-ID: <r86-charset@evil.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/alternative; boundary="alt"',
        '',
        '--alt',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Pay the attached invoice today.',
        '--alt',
        `Content-Type: text/html; charset=${charset}`,
        `Content-Transfer-Encoding: ${encoding}`,
        '',
        '',
      ].join('\r\n'),
      'latin1',
    ),
    html,
    Buffer.from('\r\n--alt--\r\n', 'latin1'),
  ]);
}

describe("the edited page's upload held past the deadline", () => {
  it("nothing committed; the retry commits the clean run's bytes", async () => {
    const bytes = page(PAGE);
    const expected = await clean(bytes);
    const id = t.stack.flow.load(bytes);
    const event = makeFlowEvent({ messageId: id, recipients: INBOX, mailFrom: 'm@evil.example' });
    t.s3.holdPuts = true;
    await invoke(guard(ENV), event, 4_000);
    t.s3.holdPuts = false;
    expect(t.stack.flow.history(id).length).toBe(1);
    const retry = await invoke(guard(ENV), event);
    expect(retry.error).toBeUndefined();
    const versions = t.stack.flow.history(id);
    expect(versions.length).toBe(2);
    expect(unsealed(versions[1]?.content)).toEqual(unsealed(expected));
  }, 120_000);
});

describe('a page whose charset does not decode, and a page over the size bound', () => {
  const tail = (b: Buffer) => b.subarray(b.indexOf(Buffer.from('<p>')));
  const cases: [string, Buffer][] = [
    ['an unknown charset', withCharset(Buffer.from(PAGE, 'latin1'), 'x-no-such-charset')],
    [
      'UTF-8 declared, invalid bytes in the head and body',
      withCharset(
        Buffer.concat([
          Buffer.from('<html><head><title>\xff\xfe</title></head><body><p>', 'latin1'),
          Buffer.from('caf\xe9 \xc3\x28 \xed\xa0\x80 pay now</p></body></html>', 'latin1'),
        ]),
        'utf-8',
      ),
    ],
    [
      'ISO-2022-JP with a broken escape',
      withCharset(
        Buffer.from('<html><body><p>\x1b$B$3$s\x1b(Z pay now</p></body></html>', 'latin1'),
        'iso-2022-jp',
        '7bit',
      ),
    ],
    [
      'UTF-16 with an odd length',
      withCharset(
        Buffer.concat([
          Buffer.from('<html><body><p>pay now</p></body></html>', 'utf16le'),
          Buffer.from([0x41]),
        ]),
        'utf-16le',
        'binary',
      ),
    ],
    [
      'a 12 MB page',
      withCharset(
        Buffer.from(
          `<html><head><title>x</title></head><body class="big"><p>${'<!-- c --><span>Pay today.</span>\r\n'.repeat(350_000)}</p></body></html>`,
          'latin1',
        ),
        'utf-8',
        'quoted-printable',
      ),
    ],
  ];
  for (const [name, bytes] of cases) {
    it(`${name}: answered; an update keeps the page's bytes after the banner whole`, async () => {
      const id = t.stack.flow.load(bytes);
      const event = makeFlowEvent({ messageId: id, recipients: INBOX, mailFrom: 'm@evil.example' });
      const { error } = await invoke(guard(ENV), event);
      expect(error?.message).toBeUndefined();
      const versions = t.stack.flow.history(id);
      if (versions.length === 2) {
        const committed = versions[1]?.content as Buffer;
        const original = tail(bytes);
        // Byte-preserving: the page's markup from its first paragraph on is there whole (7bit/8bit kept as is),
        // unless the part was re-encoded, when it decodes to the same text.
        if (!committed.includes(original)) expect(committed.toString('latin1')).toContain('--alt--');
        expect(committed.includes(Buffer.from('--alt--'))).toBe(true);
        expect(committed.length).toBeGreaterThanOrEqual(bytes.length - 64);
      } else expect(versions.length).toBe(1);
    }, 120_000);
  }
});
