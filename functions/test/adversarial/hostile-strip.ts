import {
  base64,
  CRLF,
  executable,
  exePart,
  type HostileCase,
  leaf,
  message,
  multipart,
  simple,
  TEXT,
} from './hostile-build.js';

/** Strip mode delivers what it claims to strip: guessed types, attached messages, signed wrappers, refused updates. */
export function stripEvasionCases(): HostileCase[] {
  const cases: HostileCase[] = [];
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
    // Repaired before the edit (Date from the receipt time), so the strip is committed.
    cases.push({
      threat: 'strip-evasion',
      name: 'no Date header (repaired, then stripped)',
      message: message(multipart('b', [TEXT, exe.part]), [], false),
      payload: exe.payload,
      strip: 'removed',
    });
  }
  {
    const exe = exePart('raw-date', [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="setup.exe"',
    ]);
    // Raw 8-bit in Date: WorkMail refuses the update and no repair may touch Date, so it cannot be stripped.
    cases.push({
      threat: 'strip-evasion',
      name: 'raw 8-bit Date header (an update WorkMail would refuse, beyond repair)',
      message: message(
        multipart('b', [TEXT, exe.part]),
        ['Date: Sun, 29 Nov 2026 10:00:00 +0000 (\u00e9t\u00e9)'],
        false,
      ),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  return cases;
}
