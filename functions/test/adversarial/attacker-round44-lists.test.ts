import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-3: a card drawn by list numbering. `<ol start="4111"><li>1111 1111 1111</li></ol>` shows
// "4111. 1111 1111 1111" in every client; the shown-text reader worked out the list-item counter but wrote a
// marker only for a ::marker rule or a string list style.
const stack = useLocalStack();
const kit = attackerKit(stack);
const html = (body: string) =>
  Buffer.from(
    [
      'From: Bob <bob@corp.example>',
      'To: x@outside.example',
      'Subject: booking',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<html><body>${body}</body></html>`,
      '',
    ].join('\r\n'),
  );

describe('A44-3: a card shown by an ordered list marker', () => {
  const lists: Record<string, string> = {
    'ol start=': '<p>Card:</p><ol start="4111"><li>1111 1111 1111</li></ol><p>exp 12/29</p>',
    'li value=': '<p>Card:</p><ol><li value="4111">1111 1111 1111</li></ol>',
    'four lists, each marker a group':
      '<p>Card:</p><ol start="4111"><li></li></ol><ol start="1111"><li></li></ol><ol start="1111"><li></li></ol><ol start="1111"><li></li></ol>',
    'ol type=1 start=': '<p>Card:</p><ol start="4111" type="1"><li>1111 1111 1111</li></ol>',
  };
  for (const [title, body] of Object.entries(lists))
    it(`refuses ${title}`, async () => {
      expect(await kit.outbound(html(body))).toBe('BOUNCE');
    });
  it('sends an ordinary numbered list (control)', async () => {
    expect(await kit.outbound(html('<ol><li>Book</li><li>Pay</li><li>Travel</li></ol>'))).toBe('DEFAULT');
  });
});
