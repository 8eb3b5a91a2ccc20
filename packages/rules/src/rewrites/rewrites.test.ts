import { ConfigError, inbound, outbound } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { addDisclaimer, stampHeaders, tagExternal } from './index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['updates']);
});
afterAll(() => h.stop());

const updates = { updates: { bucket: 'updates' } };
const latest = (id: string) => h.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';

describe('rules: rewrites (over the emulator, committed with PutRawMessageContent)', () => {
  const tag = inbound(tagExternal({ subjectTag: '[EXTERNAL]', banner: 'Sent from outside Corp.' }));

  it('tags external mail once: subject, banner and marker header', async () => {
    const invocationId = 'retry-of-one-event';
    const r = await h.run(
      [tag],
      await eml('impersonation-display-name.eml'),
      { mailFrom: 'x@freemail.example', invocationId },
      updates,
    );
    const after = latest(r.messageId);
    expect(after).toMatch(/^Subject: \[EXTERNAL\] Urgent wire transfer/m);
    expect(after).toContain('Sent from outside Corp.');
    expect(after).toMatch(/^X-Wmflow-External: true/m);
    expect(after).toMatch(/^X-Wmflow-External-Seal: [0-9a-f]{32}$/m);
    // WorkMail retries the same event (same invocation id) after the update was committed: no second banner.
    const again = await h.run(
      [tag],
      Buffer.from(after, 'latin1'),
      { mailFrom: 'x@freemail.example', invocationId },
      updates,
    );
    const twice = latest(again.messageId);
    expect(twice.match(/\[EXTERNAL\]/g)).toHaveLength(1);
    expect(twice.match(/Sent from outside Corp\./g)).toHaveLength(1);
  });

  it('leaves internal mail (DMARC pass for an organization domain) untouched', async () => {
    const auth =
      'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=ceo@corp.example; dmarc=pass header.from=corp.example\r\n';
    const r = await h.run(
      [tag],
      Buffer.concat([
        Buffer.from(`${auth}From: Jane Doe <ceo@corp.example>\r\n`),
        await eml('01-plain-text.eml'),
      ])
        .toString('latin1')
        .replace(/^From: (?!Jane Doe <ceo@).*\r\n/m, ''),
      { mailFrom: 'ceo@corp.example' },
      updates,
    );
    expect(h.stack.flow.history(r.messageId)).toHaveLength(1);
  });

  it('tags a message whose organization pass is beside a From elsewhere, or beside a second From', async () => {
    const auth =
      'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=ceo@corp.example; dkim=pass header.d=corp.example; dmarc=pass header.from=corp.example\r\n';
    const plain = (await eml('01-plain-text.eml')).toString('latin1').replace(/^From: .*\r\n/m, '');
    for (const from of [
      'From: Jane Doe <jane@evil.example>\r\n',
      'From: Jane Doe <jane@evil.example>\r\nFrom: Jane Doe <ceo@corp.example>\r\n',
    ]) {
      const r = await h.run(
        [tag],
        Buffer.from(`${auth}${from}${plain}`, 'latin1'),
        { mailFrom: 'ceo@corp.example' },
        updates,
      );
      expect(h.stack.flow.history(r.messageId).length, from).toBe(2);
    }
  });

  it('adds an outbound disclaimer for external recipients and stamps headers', async () => {
    const event = {
      direction: 'OUTBOUND' as const,
      mailFrom: 'bob@corp.example',
      recipients: ['bookings@hotel.example'],
    };
    const rules = [
      outbound(addDisclaimer({ text: 'Confidential.' })),
      stampHeaders({ headers: { 'X-Corp-Policy': 'dlp-v2' } }),
    ];
    const r = await h.run(rules, await eml('outbound-card-numbers.eml'), event, updates);
    const after = latest(r.messageId);
    expect(after).toContain('Confidential.');
    expect(after).toMatch(/^X-Corp-Policy: dlp-v2/m);
    const internal = await h.run(
      [outbound(addDisclaimer({ text: 'Confidential.' }))],
      await eml('outbound-card-numbers.eml'),
      {
        ...event,
        recipients: ['alice@corp.example'],
      },
      updates,
    );
    expect(h.stack.flow.history(internal.messageId)).toHaveLength(1);
  });

  it('refuses bad configuration: injection, protected headers, empty values', () => {
    expect(() => stampHeaders({ headers: { 'X-A': 'a\r\nBcc: x@evil.example' } })).toThrow(ConfigError);
    expect(() => stampHeaders({ headers: { From: 'x' } })).toThrow(/must not be edited/);
    expect(() => stampHeaders({ headers: { 'Bad Name': 'x' } })).toThrow(/not a header name/);
    expect(() => stampHeaders({ headers: {} })).toThrow(/at least one/);
    expect(() => tagExternal({})).toThrow(/subjectTag or a banner/);
    expect(() => tagExternal({ subjectTag: '[X]\n' })).toThrow(/subjectTag/);
    expect(() => addDisclaimer({ text: ' ' })).toThrow(/configuration text/);
  });
});
