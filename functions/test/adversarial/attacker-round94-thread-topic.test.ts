import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A94-1: Outlook and Exchange take a message's conversation topic from its `Thread-Topic` header (PR_CONVERSATION_TOPIC),
// and conversation view shows that topic as the heading of the thread in the message list and above the reading
// pane. The guard prefixed the Subject with [EXTERNAL] but kept the sender's `Thread-Topic: Payroll update`, so the
// heading an Outlook user reads first showed no tag. Outside mail that is tagged now loses every Thread-Topic, so
// the topic is drawn from the tagged Subject, as for mail with none. Thread-Index (grouping only) is kept.
const kit = attackerKit(useLocalStack());
const FROM = 'From: Accounts <accounts@outside.example>';

async function delivered(head: string[], body = 'Please confirm your bank details.\r\n') {
  const { verdict, delivered } = await kit.inbound(mail([FROM, ...head], body));
  expect(verdict).toBe('DEFAULT');
  const parsed = await simpleParser(delivered);
  const header = delivered.subarray(0, delivered.indexOf('\r\n\r\n')).toString('latin1');
  return { parsed, header };
}

describe('A94-1: a Thread-Topic without the tag', () => {
  const cases: Record<string, string[]> = {
    'a plain Thread-Topic': ['Thread-Topic: Payroll update', 'Content-Type: text/plain'],
    'an encoded-word Thread-Topic': [
      `Thread-Topic: ${encoded('Payroll update')}`,
      'Content-Type: text/plain',
    ],
    'two Thread-Topic fields': [
      'Thread-Topic: Payroll update',
      'thread-topic: Payroll',
      'Content-Type: text/plain',
    ],
    'a folded Thread-Topic': ['Thread-Topic: Payroll', '  update', 'Content-Type: text/plain'],
    'a Thread-Topic on an HTML body': [
      'Thread-Topic: Payroll update',
      'Content-Type: text/html; charset=utf-8',
    ],
  };
  for (const [name, head] of Object.entries(cases))
    it(`drops ${name} from tagged outside mail`, async () => {
      const { parsed, header } = await delivered(head);
      expect(parsed.subject).toBe('[EXTERNAL] Invoice');
      expect(header).not.toMatch(/^thread-topic:/im);
    });

  // Controls.
  it('control: an outside reply from Outlook keeps its Thread-Index (grouping) and the tagged Subject', async () => {
    const { parsed, header } = await delivered([
      'Thread-Topic: Invoice',
      'Thread-Index: AQHbXyZ0abcdefghijklmnopqrstuv',
      'In-Reply-To: <earlier@corp.example>',
      'Content-Type: text/plain',
    ]);
    expect(parsed.subject).toBe('[EXTERNAL] Invoice');
    expect(header).toMatch(/^Thread-Index: AQHbXyZ0abcdefghijklmnopqrstuv$/m);
    expect(header).not.toMatch(/^thread-topic:/im);
  });
  it('control: outside mail without a Thread-Topic is tagged as before', async () => {
    const { parsed, header } = await delivered(['Content-Type: text/plain']);
    expect(parsed.subject).toBe('[EXTERNAL] Invoice');
    expect(header).toMatch(/^X-Wmflow-External: true$/m);
  });
  it('control: inside mail keeps its Thread-Topic', async () => {
    const { verdict, delivered: out } = await kit.inbound(
      mail(
        [
          'From: Alice <alice@corp.example>',
          'Authentication-Results: amazonses.com; dkim=pass header.i=@corp.example; dmarc=pass header.from=corp.example;',
          'Thread-Topic: Payroll update',
          'Content-Type: text/plain',
        ],
        'hello\r\n',
      ),
    );
    expect(verdict).toBe('DEFAULT');
    expect(out.toString('latin1')).not.toContain('[EXTERNAL]');
    expect(out.toString('latin1')).toMatch(/^Thread-Topic: Payroll update$/m);
  });
});
