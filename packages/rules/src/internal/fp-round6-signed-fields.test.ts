import { senderMailbox } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { signatureTags, signedWhole, uncoveredShown } from './signed-fields.js';

// False-positive round 6: the `h=` lists real senders use for the organization's own mail (delegated DKIM), and the
// rate keys' mailboxes for distinct addresses that merely look alike.
const NOW = Date.UTC(2026, 11, 7);
const fields = (...names: string[]) => names.map((name) => ({ name }));
const tags = (value: string) => signatureTags(value);
const NEWSLETTER = fields(
  'From',
  'Reply-To',
  'To',
  'Subject',
  'Date',
  'Message-ID',
  'MIME-Version',
  'Content-Type',
);

// Twilio SendGrid's list (also under Freshdesk and other services sending through it): no Date, no Message-ID.
const SENDGRID =
  'h=content-type:from:mime-version:subject:reply-to:x-feedback-id:to:cc:content-type:from:subject:to';
const SIGNERS: Record<string, string> = {
  'Twilio SendGrid': SENDGRID,
  'Mailchimp (d=corp.example via k2/k3 CNAMEs)':
    'h=Subject:From:Reply-To:To:Date:Message-ID:List-ID:List-Unsubscribe:List-Unsubscribe-Post:Content-Type:MIME-Version:CC',
  'Amazon SES Easy DKIM': 'h=Subject:From:To:Reply-To:MIME-Version:Content-Type:Message-ID:Date:Feedback-ID',
  'Google Workspace (oversigned)':
    'h=cc:to:subject:message-id:date:from:in-reply-to:references:mime-version:from:to:cc:subject:date:message-id:reply-to',
  // AWS's manual-signing guide for SES: "Don't sign the following fields: Message-ID, Date, Return-Path, Bounces-To".
  'the organization itself through SES (manual signing)':
    'h=From:Reply-To:To:Subject:MIME-Version:Content-Type',
  Postmark: 'h=From:Date:Subject:Message-Id:Reply-To:To:Cc:Feedback-ID:MIME-Version:Content-Type',
};

describe('fp-round6: SaaS signatures over the organization newsletter list every field that says something', () => {
  for (const [who, h] of Object.entries(SIGNERS))
    it(`${who}`, () => {
      expect(uncoveredShown(tags(`d=corp.example; ${h}`), NEWSLETTER, NOW)).toBeUndefined();
      expect(signedWhole([`d=corp.example; ${h}`], NEWSLETTER, 'corp.example', NOW, true)).toBe(true);
    });
  it('a signature with x= far ahead, and one with t= only', () => {
    const h = SIGNERS['Google Workspace (oversigned)'];
    expect(
      uncoveredShown(tags(`d=corp.example; t=1796601600; x=4102444800; ${h}`), NEWSLETTER, NOW),
    ).toBeUndefined();
    expect(uncoveredShown(tags(`d=corp.example; t=1796601600; ${h}`), NEWSLETTER, NOW)).toBeUndefined();
  });
});

describe('fp-round6: what a signature without Date and Message-ID still refuses', () => {
  it('a Date or Message-ID a signature lists must be covered as often as it appears', () => {
    const h = 'h=from:to:subject:date:message-id';
    expect(uncoveredShown(tags(h), fields('From', 'To', 'Subject', 'Date', 'Date', 'Message-ID'), NOW)).toBe(
      'Date',
    );
    expect(uncoveredShown(tags(h), fields('From', 'To', 'Subject', 'Message-ID', 'Message-ID'), NOW)).toBe(
      'Message-ID',
    );
  });
  it('SendGrid: the threading, receipt and importance fields it does not sign', () => {
    for (const name of [
      'In-Reply-To',
      'References',
      'Thread-Topic',
      'Importance',
      'Disposition-Notification-To',
    ])
      expect(uncoveredShown(tags(SENDGRID), [...NEWSLETTER, { name }], NOW)).toBe(name);
  });
  it('SendGrid: a second To or Subject past its oversigning, a Sender', () => {
    expect(uncoveredShown(tags(SENDGRID), [...NEWSLETTER, ...fields('To', 'To')], NOW)).toBe('To');
    expect(uncoveredShown(tags(SENDGRID), [...NEWSLETTER, ...fields('Sender')], NOW)).toBe('Sender');
  });
});

describe('fp-round6: rate keys count by mailbox, and distinct mailboxes stay apart', () => {
  it('a.b@ and ab@, sales@ and sales-team@ are different mailboxes', () => {
    expect(senderMailbox('a.b@corp.example')).not.toBe(senderMailbox('ab@corp.example'));
    expect(senderMailbox('sales@corp.example')).not.toBe(senderMailbox('sales-team@corp.example'));
    expect(senderMailbox('sales_team@corp.example')).not.toBe(senderMailbox('sales-team@corp.example'));
  });
  it('plus-addressed folders land in one mailbox, and are counted as one (its flood is one inbox)', () => {
    expect(senderMailbox('alice+invoices@corp.example')).toBe(senderMailbox('alice@corp.example'));
    expect(senderMailbox('Alice+Receipts@corp.example')).toBe(senderMailbox('alice@corp.example'));
  });
});
