/**
 * Hostile messages written from docs/threat-model.md ("Attachments"): each one tries a way around the
 * attachment policy an outside sender could take. Generated here, not copied from anywhere.
 */

import { mimeMultipart, mimePart } from '@wmflow/core/testing';

const CRLF = '\r\n';

/** What the guard must do with a hostile message in strip mode: remove the part and deliver, or refuse. */
export type StripOutcome = 'removed' | 'bounce';

/** One hostile message and the outcome the threat model promises. */
export interface HostileCase {
  /** The threat class (the heading) and what the case tries. */
  threat: 'limits' | 'unseen-parts' | 'strip-evasion';
  name: string;
  message: Buffer;
  /** Bytes that must never reach a mailbox (the payload, as it sits in the message). */
  payload: string;
  /** In strip mode: the part can be removed, or the message must bounce. */
  strip: StripOutcome;
  /** The removal note sits inside a base64-encoded attached message, so the raw bytes do not show it. */
  noteEncoded?: boolean;
}

/** An executable's first bytes, then a marker naming the case (so a leak is traceable). */
function executable(tag: string): Buffer {
  return Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00]), Buffer.from(`wmflow-hostile-${tag}`)]);
}

function base64(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

const leaf = mimePart;
const multipart = mimeMultipart;

/** A whole message around a body entity (its content headers included). */
function message(entity: string, extra: readonly string[] = [], date = true): Buffer {
  const head = [
    'From: "Accounts" <accounts@evil.example>',
    'To: bob@corp.example',
    'Subject: Invoice',
    ...(date ? ['Date: Sun, 29 Nov 2026 10:00:00 +0000'] : []),
    `Message-ID: <${Math.random().toString(36).slice(2)}@evil.example>`,
    'MIME-Version: 1.0',
    ...extra,
  ];
  return Buffer.from([...head, entity].join(CRLF), 'latin1');
}

const TEXT = leaf(['Content-Type: text/plain; charset=us-ascii'], 'Please see the attachment.');

/** An attachment part with a base64 executable, under the given content headers. */
function exePart(tag: string, headers: readonly string[]): { part: string; payload: string } {
  const body = base64(executable(tag));
  return {
    part: leaf([...headers, 'Content-Transfer-Encoding: base64'], body),
    payload: body.split(CRLF)[0] ?? body,
  };
}

/** The message `entity` attached `levels` times, each as message/rfc822 inside a multipart/mixed. */
function nest(entity: string, levels: number): string {
  let inner = entity;
  for (let i = 0; i < levels; i++) {
    const attached = [
      'From: fwd@evil.example',
      `Subject: level ${levels - i}`,
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      inner,
    ].join(CRLF);
    inner = multipart(`lvl${i}`, [
      TEXT,
      leaf(
        ['Content-Type: message/rfc822', `Content-Disposition: attachment; filename="fwd${i}.eml"`],
        attached,
      ),
    ]);
  }
  return inner;
}

function simple(name: string, tag: string, headers: readonly string[], strip: StripOutcome): HostileCase {
  const exe = exePart(tag, headers);
  return {
    threat: 'unseen-parts',
    name,
    message: message(multipart('b', [TEXT, exe.part])),
    payload: exe.payload,
    strip,
  };
}

/** Every hostile case of the threat model's attachment section. */
export function hostileCases(): HostileCase[] {
  const cases: HostileCase[] = [];

  // Limits turn protection off.
  {
    const exe = exePart('parts', ['Content-Type: application/octet-stream; name="setup.exe"']);
    const empties = Array.from({ length: 1001 }, () => leaf(['Content-Type: text/plain'], ''));
    cases.push({
      threat: 'limits',
      name: 'an .exe among 1,001 empty parts',
      message: message(multipart('b', [TEXT, exe.part, ...empties])),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('header', [
      'Content-Type: application/octet-stream; name="setup.exe"',
      `X-Padding: ${'a'.repeat(1100 * 1024)}`,
    ]);
    cases.push({
      threat: 'limits',
      name: 'a part with a 1.1 MB header',
      message: message(multipart('b', [TEXT, exe.part])),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('inner-parts', ['Content-Type: application/octet-stream; name="setup.exe"']);
    const empties = Array.from({ length: 1001 }, () => leaf(['Content-Type: text/plain'], ''));
    cases.push({
      threat: 'limits',
      name: 'over-limit structure inside an attached message',
      message: message(nest(multipart('in', [TEXT, exe.part, ...empties]), 1)),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('deep4', [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="tool.exe"',
    ]);
    cases.push({
      threat: 'limits',
      name: 'an .exe four attached messages deep',
      message: message(nest(multipart('in', [TEXT, exe.part]), 4)),
      payload: exe.payload,
      strip: 'removed',
    });
  }
  {
    const exe = exePart('deep31', ['Content-Type: application/octet-stream; name="tool.exe"']);
    let entity = multipart('d0', [TEXT, exe.part]);
    for (let i = 1; i <= 31; i++) entity = multipart(`d${i}`, [entity]);
    cases.push({
      threat: 'limits',
      name: 'an .exe under 31 nesting levels',
      message: message(entity),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('bighead', ['Content-Type: application/octet-stream; name="setup.exe"']);
    const padding = Array.from({ length: 1100 }, (_, i) => `X-Filler-${i}: ${'b'.repeat(1000)}`);
    cases.push({
      threat: 'limits',
      name: 'a header block over 1 MiB with a virus verdict',
      message: message(multipart('b', [TEXT, exe.part]), ['X-SES-Virus-Verdict: FAIL', ...padding]),
      payload: exe.payload,
      strip: 'bounce',
    });
  }

  // Parts the policy never sees.
  cases.push(
    simple(
      'text/plain named .vbs, no disposition',
      'vbs-text',
      ['Content-Type: text/plain; name="invoice.vbs"'],
      'removed',
    ),
    simple(
      'inline text/html named .hta',
      'hta-inline',
      ['Content-Type: text/html; name="update.hta"', 'Content-Disposition: inline'],
      'removed',
    ),
    simple(
      'type name .vbs, disposition filename .pdf',
      'vbs-pdf',
      [
        'Content-Type: application/pdf; name="scan.vbs"',
        'Content-Disposition: attachment; filename="scan.pdf"',
      ],
      'removed',
    ),
    simple(
      'two dispositions, .pdf then .vbs',
      'two-cd',
      [
        'Content-Type: application/pdf',
        'Content-Disposition: attachment; filename="scan.pdf"',
        'Content-Disposition: attachment; filename="scan.vbs"',
      ],
      'bounce',
    ),
    simple(
      'a.vbs::$DATA',
      'ads',
      ['Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="a.vbs::$DATA"'],
      'removed',
    ),
    simple(
      'DEL inside the extension',
      'del',
      ['Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="a.v\x7fbs"'],
      'removed',
    ),
    simple(
      'trailing dots and spaces',
      'dots',
      ['Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="a.exe. . ."'],
      'removed',
    ),
    simple(
      'RFC 2231 continued name',
      'rfc2231',
      [
        'Content-Type: application/octet-stream',
        "Content-Disposition: attachment; filename*0*=utf-8''inv; filename*1=oice.scr",
      ],
      'removed',
    ),
    simple(
      'RFC 2047 encoded name',
      'rfc2047',
      [
        `Content-Type: application/octet-stream; name="=?utf-8?B?${Buffer.from('rechnung.js').toString('base64')}?="`,
      ],
      'removed',
    ),
    simple(
      'filename given twice in one header',
      'twice',
      [
        'Content-Type: application/octet-stream',
        'Content-Disposition: attachment; filename="a.pdf"; filename="a.exe"',
      ],
      'bounce',
    ),
    simple(
      'a name hidden behind a bidi override',
      'bidi',
      [
        'Content-Type: application/octet-stream',
        `Content-Disposition: attachment; filename="=?utf-8?B?${Buffer.from('invoice\u202Efdp.exe').toString('base64')}?="`,
      ],
      'removed',
    ),
  );
  {
    const body = base64(executable('nobound'));
    cases.push({
      threat: 'unseen-parts',
      name: 'a leaf declared multipart/mixed without a boundary, named .exe',
      message: message(
        multipart('b', [
          TEXT,
          leaf(
            ['Content-Type: multipart/mixed; name="setup.exe"', 'Content-Transfer-Encoding: base64'],
            body,
          ),
        ]),
      ),
      payload: body.split(CRLF)[0] ?? body,
      strip: 'bounce',
    });
  }

  // Strip mode delivers what it claims to strip.
  for (const ext of ['js', 'hta', 'chm']) {
    cases.push({
      ...simple(
        `declared octet-stream named .${ext}`,
        `guess-${ext}`,
        [
          'Content-Type: application/octet-stream',
          `Content-Disposition: attachment; filename="readme.${ext}"`,
        ],
        'removed',
      ),
      threat: 'strip-evasion',
    });
  }
  {
    const exe = exePart('in-attached', [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="setup.exe"',
    ]);
    cases.push({
      threat: 'strip-evasion',
      name: 'an .exe inside an attached message (base64-encoded message)',
      message: message(
        multipart('b', [
          TEXT,
          leaf(
            [
              'Content-Type: message/rfc822',
              'Content-Disposition: attachment; filename="fw.eml"',
              'Content-Transfer-Encoding: base64',
            ],
            base64(
              Buffer.from(
                [
                  'From: a@evil.example',
                  'Subject: fw',
                  'MIME-Version: 1.0',
                  multipart('i', [TEXT, exe.part]),
                ].join(CRLF),
              ),
            ),
          ),
        ]),
      ),
      payload: exe.payload,
      strip: 'removed',
      noteEncoded: true,
    });
  }
  {
    const exe = exePart('fake-signed', [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="setup.exe"',
    ]);
    const signed = [
      'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="s"',
      '',
      '--s',
      multipart('m', [TEXT, exe.part]),
      '--s',
      leaf(
        ['Content-Type: application/pkcs7-signature; name="smime.p7s"', 'Content-Transfer-Encoding: base64'],
        'AAAA',
      ),
      '--s--',
      '',
    ].join(CRLF);
    cases.push({
      threat: 'strip-evasion',
      name: 'an unsigned multipart/signed wrapper around an .exe',
      message: message(signed),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const body = base64(executable('p7m'));
    cases.push({
      threat: 'strip-evasion',
      name: 'an encrypted container named .exe',
      message: message(
        leaf(
          [
            'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="setup.exe"',
            'Content-Transfer-Encoding: base64',
          ],
          body,
        ),
      ),
      payload: body.split(CRLF)[0] ?? body,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('no-date', [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="setup.exe"',
    ]);
    cases.push({
      threat: 'strip-evasion',
      name: 'no Date header (an update WorkMail would refuse)',
      message: message(multipart('b', [TEXT, exe.part]), [], false),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  return cases;
}
