import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A43-4: an unnamed text/html part that is not the message's body is a file Outlook lists (ATT00001.htm) and
// opens in the browser (markup-names.ts's own premise). `laterInMixed` (part-leaf.ts) only looks at the part's
// position in its immediate parent, so an HTML-smuggling page wrapped in a nested multipart as its first child,
// after a text/plain body, is taken for "the message's own body" and never scanned. Each is DEFAULT today.
const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Ann <ann@partner.example>';
const PAGE =
  "<html><body><p>Invoice</p><script>var a=document.createElement('a');a.href=URL.createObjectURL(new Blob([atob('TVqQAAMAAAAEAAAA')]));a.download='Invoice.iso';a.click();</script></body></html>";
const inner = (type: string) =>
  `--q\r\nContent-Type: text/plain\r\n\r\nPlease see the invoice.\r\n--q\r\nContent-Type: ${type}; boundary=r\r\n\r\n--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${PAGE}\r\n--r--\r\n--q--\r\n`;

describe('A43-4: an active page nested as the first part of a later multipart is not scanned', () => {
  it('bounces mixed[text/plain, mixed[text/html <script>]]', async () => {
    const message = mail([FROM, 'Content-Type: multipart/mixed; boundary=q'], inner('multipart/mixed'));
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
  it('bounces mixed[text/plain, related[text/html <script>]]', async () => {
    const message = mail([FROM, 'Content-Type: multipart/mixed; boundary=q'], inner('multipart/related'));
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
  it('bounces mixed[alternative[text, html], alternative[text, html <script>]] (a second body)', async () => {
    const alt = (html: string) =>
      `Content-Type: multipart/alternative; boundary=a${html.length}\r\n\r\n--a${html.length}\r\nContent-Type: text/plain\r\n\r\nInvoice\r\n--a${html.length}\r\nContent-Type: text/html\r\n\r\n${html}\r\n--a${html.length}--\r\n`;
    const body = `--q\r\n${alt('<p>Invoice</p>')}--q\r\n${alt(PAGE)}--q--\r\n`;
    const message = mail([FROM, 'Content-Type: multipart/mixed; boundary=q'], body);
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
  it('delivers the same page as the message body: first in a mixed that is first (control)', async () => {
    const body = `--q\r\nContent-Type: multipart/related; boundary=r\r\n\r\n--r\r\nContent-Type: text/html\r\n\r\n<p>Invoice</p><script>var x=1;</script>\r\n--r--\r\n--q\r\nContent-Type: text/plain\r\n\r\nnotes\r\n--q--\r\n`;
    const message = mail([FROM, 'Content-Type: multipart/mixed; boundary=q'], body);
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
  it('control (already bounced): mixed[text/plain, text/html <script>]', async () => {
    const message = mail(
      [FROM, 'Content-Type: multipart/mixed; boundary=q'],
      `--q\r\nContent-Type: text/plain\r\n\r\nPlease see the invoice.\r\n--q\r\nContent-Type: text/html\r\n\r\n${PAGE}\r\n--q--\r\n`,
    );
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
});
