import {
  base64,
  CRLF,
  executable,
  type HostileCase,
  leaf,
  message,
  multipart,
  simple,
  TEXT,
} from './hostile-build.js';

/** Parts the policy never sees: names in odd places and odd spellings. */
export function unseenPartCases(): HostileCase[] {
  const cases: HostileCase[] = [];
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

  return cases;
}
