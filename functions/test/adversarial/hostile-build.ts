/** Builders of the hostile messages (see hostile.ts): an executable payload, parts, nesting, the message. */

import { mimeMultipart, mimePart } from '@wmflow/core/testing';

export const CRLF = '\r\n';

/** What the guard must do with a hostile message in strip mode: remove the part and deliver, or refuse. */
export type StripOutcome = 'removed' | 'bounce';

/** One hostile message and the outcome the threat model promises. */
export interface HostileCase {
  /** The threat class (the heading) and what the case tries. */
  threat: 'limits' | 'unseen-parts' | 'strip-evasion';
  name: string;
  message: Buffer;
  /** Bytes that must never reach a mailbox (the payload, as it sits in the message). */
  payload: string;
  /** In strip mode: the part can be removed, or the message must bounce. */
  strip: StripOutcome;
  /** The removal note sits inside a base64-encoded attached message, so the raw bytes do not show it. */
  noteEncoded?: boolean;
}

/** An executable's first bytes, then a marker naming the case (so a leak is traceable). */
export function executable(tag: string): Buffer {
  return Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00]), Buffer.from(`wmflow-hostile-${tag}`)]);
}

export function base64(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

export const leaf = mimePart;
export const multipart = mimeMultipart;

/** A whole message around a body entity (its content headers included). */
export function message(entity: string, extra: readonly string[] = [], date = true): Buffer {
  const head = [
    'From: "Accounts" <accounts@evil.example>',
    'To: bob@corp.example',
    'Subject: Invoice',
    ...(date ? ['Date: Sun, 29 Nov 2026 10:00:00 +0000'] : []),
    `Message-ID: <${Math.random().toString(36).slice(2)}@evil.example>`,
    'MIME-Version: 1.0',
    ...extra,
  ];
  return Buffer.from([...head, entity].join(CRLF), 'latin1');
}

export const TEXT = leaf(['Content-Type: text/plain; charset=us-ascii'], 'Please see the attachment.');

/** An attachment part with a base64 executable, under the given content headers. */
export function exePart(tag: string, headers: readonly string[]): { part: string; payload: string } {
  const body = base64(executable(tag));
  return {
    part: leaf([...headers, 'Content-Transfer-Encoding: base64'], body),
    payload: body.split(CRLF)[0] ?? body,
  };
}

/** The message `entity` attached `levels` times, each as message/rfc822 inside a multipart/mixed. */
export function nest(entity: string, levels: number): string {
  let inner = entity;
  for (let i = 0; i < levels; i++) {
    const attached = [
      'From: fwd@evil.example',
      `Subject: level ${levels - i}`,
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      inner,
    ].join(CRLF);
    inner = multipart(`lvl${i}`, [
      TEXT,
      leaf(
        ['Content-Type: message/rfc822', `Content-Disposition: attachment; filename="fwd${i}.eml"`],
        attached,
      ),
    ]);
  }
  return inner;
}

export function simple(
  name: string,
  tag: string,
  headers: readonly string[],
  strip: StripOutcome,
): HostileCase {
  const exe = exePart(tag, headers);
  return {
    threat: 'unseen-parts',
    name,
    message: message(multipart('b', [TEXT, exe.part])),
    payload: exe.payload,
    strip,
  };
}
