/** An inbound message carrying a Windows executable (`run.exe`): what the guard bounces. */
const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');
export const EXE_MESSAGE = Buffer.from(
  [
    'From: x@evil.example',
    'To: bob@corp.example',
    'Subject: invoice',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'see attached',
    '--b',
    'Content-Type: application/octet-stream; name="run.exe"',
    'Content-Disposition: attachment; filename="run.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    EXE,
    '--b--',
    '',
  ].join('\r\n'),
);
