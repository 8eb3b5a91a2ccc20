import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-4 (guard side): a multipart/mixed with `Content-Transfer-Encoding: quoted-printable` (RFC 2045 §6.4 forbids
// it; Python's email package and SAP write such mail, and the walk's own comment in walk-steps.ts says a client
// that decodes it may find other parts there). QP keeps delimiter lines as they are, so the splitter finds the
// parts and reads their headers and content raw; the walk decodes only the multipart's own opaque text
// (preamble/epilogue) for delimiter-like lines. A client that decodes the multipart first reads
// `filename=3D=22invoice=2Evbs=22` as filename="invoice.vbs", `invoice.v=<CRLF>bs` as invoice.vbs, and
// `=4D=5A…` as an MZ executable. Each was DEFAULT before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const qpMultipart = (part: string) =>
  Buffer.from(
    [
      'From: x@evil.example',
      'To: bob@corp.example',
      'Subject: invoice',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary=q',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '--q',
      'Content-Type: text/plain',
      '',
      'Invoice attached.',
      '--q',
      part,
      '--q--',
      '',
    ].join('\r\n'),
  );
const messages: Record<string, Buffer> = {
  'qp-mp-filename': qpMultipart(
    'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=3D=22invoice=2Evbs=22\r\n\r\nMsgBox 1',
  ),
  'qp-mp-name-softbreak': qpMultipart(
    'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="invoice.v=\r\nbs"\r\n\r\nMsgBox 1',
  ),
  'qp-mp-exe-content': qpMultipart(
    `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="report.dat"\r\n\r\n=4D=5A=90=00${'=00'.repeat(60)}`,
  ),
};

describe('A44-4: parts of a quoted-printable multipart read raw by the guard', () => {
  for (const [name, message] of Object.entries(messages)) {
    it(`refuses ${name}`, async () => {
      const { verdict } = await kit.inbound(message);
      expect(verdict).toBe('BOUNCE');
    });
  }
});
