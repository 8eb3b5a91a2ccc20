import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { expectStripped } from './strip-check.js';

// What the attacker suites share: hostile messages built on one template, replayed through the prebuilt
// functions at their defaults over the local emulator and S3.

const CRLF = '\r\n';
const INBOX = ['bob@corp.example'];
const OUTSIDE = ['x@outside.example'];

/** The Content-Type of {@link withPart}'s body. */
export const MIXED = 'Content-Type: multipart/mixed; boundary="b"';
/** A harmless VBScript payload, tagged so a test can tell whether it was delivered. */
export const script = (tag: string) => `MsgBox "wmflow-attacker-${tag}"`;
/** `s` as one RFC 2047 encoded word (UTF-8, base64). */
export const encoded = (s: string) => `=?utf-8?B?${Buffer.from(s).toString('base64')}?=`;

/** An outbound HTML message (Alice inside to Bob outside) whose page has `<style>head</style>` and the body `body`. */
export function outboundPage(body: string, head = ''): Buffer {
  return Buffer.from(
    [
      'From: Alice <alice@corp.example>',
      'To: bob@partner.example',
      'Subject: details',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<html>${head ? `<head><style>${head}</style></head>` : ''}<body><p>details:</p>${body}</body></html>`,
      '',
    ].join(CRLF),
  );
}

/** A message with the attacker's extra header lines and body. */
export function mail(head: readonly string[], body: string | Buffer): Buffer {
  const top = [
    'To: bob@corp.example',
    'Subject: Invoice',
    'Date: Sun, 29 Nov 2026 10:00:00 +0000',
    'Message-ID: <attacker@evil.example>',
    'MIME-Version: 1.0',
    ...head,
    '',
    '',
  ].join(CRLF);
  return Buffer.concat([
    Buffer.from(top, 'utf-8'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf-8'),
  ]);
}

/** A multipart/mixed body with a text part and `part`, boundary `b`. */
export function withPart(part: string, epilogue = ''): string {
  return ['--b', 'Content-Type: text/plain', '', 'hello', '--b', part, '--b--', epilogue].join(CRLF);
}

/**
 * An outgoing message from bob@corp.example with `file` attached under `name` (base64, declared `type`), for
 * outbound-policy's DLP.
 *
 * @example
 * ```ts
 * expect(await kit.outbound(outboundFile('cards.csv.gz', gzipSync(csv)))).toBe('BOUNCE');
 * ```
 */
export function outboundFile(name: string, file: Buffer, type = 'application/octet-stream'): Buffer {
  return mail(
    ['From: Bob <bob@corp.example>', MIXED],
    withPart(
      `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${file.toString('base64')}`,
    ),
  );
}

/**
 * A message with `file` attached under `name` (base64, declared `type`), and the bytes of its encoding
 * that must never be delivered.
 *
 * @example
 * ```ts
 * const [message, payload] = attachedFile('invoice.zip', zipFile([{ name: 'a.exe', data: 'MZ' }]));
 * ```
 */
export function attachedFile(
  name: string,
  file: Buffer,
  type = 'application/octet-stream',
): [Buffer, string] {
  const body = file.toString('base64');
  const part = `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.replace(/.{76}/g, '$&\r\n')}`;
  return [mail([MIXED], withPart(part)), body.slice(0, 40)];
}

/**
 * An outside sender's message with an executable attached (`invoice.exe`), or a plain note: an attachment
 * protection's case and its control.
 *
 * @example
 * ```ts
 * expect(await verdictOf(exeOrNote(true))).toBe('BOUNCE');
 * ```
 */
export function exeOrNote(withExe: boolean): Buffer {
  return withExe
    ? attachedFile(
        'invoice.exe',
        Buffer.from('MZ\x90\x00this program cannot be run in DOS mode', 'latin1'),
      )[0]
    : mail(['From: x@evil.example', 'Content-Type: text/plain'], 'see you at lunch\r\n');
}

/**
 * The guard and outbound-policy at their defaults over `stack`: the verdict for the one recipient, and
 * (inbound) the bytes delivered.
 *
 * @example
 * ```ts
 * const { inbound } = attackerKit(stack);
 * expect((await inbound(message)).verdict).toBe('BOUNCE');
 * ```
 */
export function attackerKit(stack: () => LocalStack) {
  async function inbound(message: Buffer, env: Record<string, string> = {}, mailFrom = 'x@evil.example') {
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates', ...env });
    const messageId = stack().flow.load(message);
    const event = makeFlowEvent({ messageId, mailFrom, recipients: INBOX });
    const response = (await handler(event, lambdaContext())) as FlowResponse;
    const verdict = readResponse(response, INBOX, 'INBOUND').verdicts.get(INBOX[0] as string)?.type;
    return { verdict, delivered: stack().flow.history(messageId).at(-1)?.content ?? Buffer.alloc(0) };
  }
  async function outbound(message: Buffer, env: Record<string, string> = {}) {
    return (await outboundVerdict(message, env))?.type;
  }
  /** The outside recipient's verdict, whole (a bounce's message). */
  async function outboundVerdict(message: Buffer, env: Record<string, string> = {}) {
    const handler = outboundPolicy({ ORGANIZATION_DOMAINS: 'corp.example', ...env });
    const messageId = stack().flow.load(message);
    const event = makeFlowEvent({
      messageId,
      direction: 'OUTBOUND',
      mailFrom: 'bob@corp.example',
      recipients: OUTSIDE,
    });
    const response = (await handler(event, lambdaContext())) as FlowResponse;
    return readResponse(response, OUTSIDE, 'OUTBOUND').verdicts.get(OUTSIDE[0] as string);
  }
  /** The guard's verdict for a From display name `name` (an encoded word) with `protectedName` protected. */
  async function protectedNameVerdict(name: string, protectedName = 'Jane Doe') {
    const head = `From: ${encoded(name)} <x@evil.example>`;
    return (
      await inbound(mail([head, 'Content-Type: text/plain'], 'Pay today.'), {
        PROTECTED_NAMES: protectedName,
      })
    ).verdict;
  }
  return { inbound, outbound, outboundVerdict, protectedNameVerdict };
}

/** What {@link attackerKit} returns. */
export type AttackerKit = ReturnType<typeof attackerKit>;

/**
 * Two tests per hostile message (name → [message, bytes never to be delivered]): bounced at the defaults,
 * and with `ATTACHMENT_ACTION=strip` bounced or delivered without the payload, each flagged part replaced by
 * the removal note ({@link expectStripped}).
 *
 * @example
 * ```ts
 * describe('attachments', () => attachmentTests(kit, { 'a .vbs': [message, 'MsgBox'] }));
 * ```
 */
export function attachmentTests(kit: AttackerKit, cases: Record<string, [Buffer, string]>): void {
  for (const [name, [message, payload]] of Object.entries(cases)) {
    it(`${name}: bounced (ATTACHMENT_ACTION=bounce)`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
    it(`${name}: stripped or bounced (ATTACHMENT_ACTION=strip)`, async () => {
      const { verdict, delivered } = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
      if (verdict === 'BOUNCE') return;
      expect(verdict).toBe('DEFAULT');
      expect(delivered.toString('latin1')).not.toContain(payload);
      await expectStripped(message, delivered);
    });
  }
}

/**
 * The lines of a base64 `cards.csv` attachment part closing a `multipart/mixed` body (boundary `z`), as the
 * mailbox attacks carry it: its separator, headers, the base64 text and the closing boundary.
 *
 * @example
 * ```ts
 * ['Content-Type: multipart/mixed; boundary="z"', '', '--z', '', 'hi', ...csvAttachment(b64)].join('\n');
 * ```
 */
export function csvAttachment(base64: string): string[] {
  return [
    '--z',
    'Content-Type: text/csv; name="cards.csv"',
    'Content-Disposition: attachment; filename="cards.csv"',
    'Content-Transfer-Encoding: base64',
    '',
    base64,
    '--z--',
  ];
}

/**
 * Two tests of a spoof from outside under Jane Doe's own address (corp.example) whose claim to be inside mail
 * rests on the Authentication-Results header `authResults` (SES's, with something injected): junked as
 * impersonation of her protected name, and tagged [EXTERNAL] without protected names.
 *
 * @example
 * ```ts
 * describe('an injected pass', () => insideSpoofTests(kit, 'Authentication-Results: amazonses.com; …'));
 * ```
 */
export function insideSpoofTests(kit: AttackerKit, authResults: string): void {
  const spoof = Buffer.from(
    [
      authResults,
      'From: "Jane Doe" <jane.doe@corp.example>',
      'To: bob@corp.example',
      'Subject: wire today',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      'Message-ID: <spoof-1@evil.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain',
      '',
      'Please wire the money today.',
      '',
    ].join(CRLF),
  );
  it('a spoofed own-domain From is not taken for inside: junked as impersonation', async () => {
    const { verdict, delivered } = await kit.inbound(
      spoof,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    // Junk settles the recipient, so the message is not tagged as well.
    expect(verdict).toBe('MOVE_TO_JUNK');
    expect(delivered.length).toBeGreaterThan(0);
  });
  it('without protected names, the spoof is outside: tagged', async () => {
    const { verdict, delivered } = await kit.inbound(spoof, {}, 'jane.doe@corp.example');
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toMatch(/Subject: \[EXTERNAL\]/);
  });
}
