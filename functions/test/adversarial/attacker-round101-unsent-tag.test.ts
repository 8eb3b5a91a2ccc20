import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 101: outside mail under the organization's From whose tag the guard queues but cannot commit. The
// update checker refuses any line over 1,000 octets (WorkMail rejects such an update), and the editor refolds only the
// text it rewrites: a Received, Cc, ARC or DKIM line, an X- header, a part's header, a preamble or an epilogue 1,200
// octets long left the queued [EXTERNAL] tag and banner "skipped" (WorkMail would reject the update), and the spoof of
// `ceo@corp.example` was delivered as if sent inside. Round 89's untaggable check read raw 8-bit bytes only. The tag
// now carries a fallback: outside mail shown as the organization's whose update is not committed goes to Junk.
const stack = useTwinStack();
const kit = attackerKit(stack);
const FROM = 'From: CEO <ceo@corp.example>';
const LONG = 'x'.repeat(1200);
const mp = (...parts: string[]) => [...parts.map((p) => `--b\r\n${p}`), '--b--', ''].join('\r\n');
const TEXT = 'Content-Type: text/plain\r\n\r\nPlease wire the money today.';
const MIXED = 'Content-Type: multipart/mixed; boundary="b"';
const plain = (head: string[]) => mail([...head, 'Content-Type: text/plain'], 'Please wire the money today.');

const inbound = async (bytes: Buffer, mailFrom = 'x@evil.example') => {
  const { verdict, delivered } = await kit.inbound(bytes, {}, mailFrom);
  return { verdict, tagged: /^Subject: \[EXTERNAL\]/m.test(delivered.toString('latin1')) };
};

describe('A101-1: a spoof of the organization whose tag cannot be committed (a line over 1,000 octets)', () => {
  const cases: Record<string, Buffer> = {
    'a long Received line': plain([FROM, `Received: from x by y; id ${LONG}`]),
    'a long Cc line': plain([
      FROM,
      `Cc: ${Array.from({ length: 60 }, (_, i) => `u${i}@corp.example`).join(',')}`,
    ]),
    'a long X- header': plain([FROM, `X-Junk: ${LONG}`]),
    'a long Thread-Index': plain([FROM, `Thread-Index: ${LONG}`]),
    'a long ARC-Seal': plain([FROM, `ARC-Seal: i=1; b=${LONG}`]),
    'a long DKIM-Signature': plain([FROM, `DKIM-Signature: v=1; b=${LONG}`]),
    "a long line in a part's header": mail(
      [FROM, MIXED],
      mp(`Content-Type: text/plain\r\nX-P: ${LONG}\r\n\r\nPay.`),
    ),
    'a long preamble': mail([FROM, MIXED], `${LONG}\r\n${mp(TEXT)}`),
    'a long epilogue': mail([FROM, MIXED], `${mp(TEXT)}${LONG}\r\n`),
    'a look-alike From (c0rp) with a long X- header': plain(['From: ceo@c0rp.example', `X-Junk: ${LONG}`]),
    'the organization address as the display name': plain([
      'From: "ceo@corp.example" <x@evil.example>',
      `X-Junk: ${LONG}`,
    ]),
    'an organization Sender beside an outside From': plain([
      'From: x@evil.example',
      'Sender: ceo@corp.example',
      `X-Junk: ${LONG}`,
    ]),
  };
  for (const [label, bytes] of Object.entries(cases))
    it(`junks ${label}`, async () => {
      expect(await inbound(bytes)).toEqual({ verdict: 'MOVE_TO_JUNK', tagged: false });
    });
});

describe('A101 held: already refused', () => {
  it('a raw UTF-8 To (round 89) is Junk', async () => {
    expect((await inbound(plain([FROM, 'To: "Bøb" <bob@corp.example>']))).verdict).toBe('MOVE_TO_JUNK');
  });
  it('a long body line is re-encoded and tagged', async () => {
    expect(await inbound(mail([FROM, 'Content-Type: text/plain'], `Pay ${LONG}`))).toEqual({
      verdict: 'DEFAULT',
      tagged: true,
    });
  });
  it('a long line in an attachment is re-encoded and tagged', async () => {
    const part = `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.dat\r\n\r\n${LONG}`;
    expect(await inbound(mail([FROM, MIXED], mp(TEXT, part)))).toEqual({ verdict: 'DEFAULT', tagged: true });
  });
});

describe('benign controls', () => {
  it('delivers untagged a partner whose update cannot be committed (as untaggable mail, round 44)', async () => {
    expect(
      await inbound(plain(['From: Ann <ann@partner.example>', `X-Junk: ${LONG}`]), 'ann@partner.example'),
    ).toEqual({ verdict: 'DEFAULT', tagged: false });
  });
  it('delivers untagged a mailing list "X via List" whose update cannot be committed', async () => {
    expect(
      await inbound(
        plain([
          'From: "Ann via Corp Users" <list@lists.partner.example>',
          `Received: from a by b; id ${LONG}`,
        ]),
        'list@lists.partner.example',
      ),
    ).toEqual({ verdict: 'DEFAULT', tagged: false });
  });
  it('still tags a spoof of the organization when it can', async () => {
    expect(await inbound(plain([FROM]))).toEqual({ verdict: 'DEFAULT', tagged: true });
  });
});
