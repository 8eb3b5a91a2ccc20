import { ConfigError, rule, Verdicts, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyContains, headerContains, subjectContains } from '../content/index.js';
import { containsSensitiveData } from '../detectors/index.js';
import { messageLargerThan } from '../size/index.js';
import { eml, type Harness, startHarness } from '../test-support/stack.js';
import { blockAttachments, hasBlockedAttachment } from './index.js';
import { attachmentPolicy, attachmentViolations, extensionsOf } from './policy.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const fired = async (c: Parameters<typeof when>[0], message: Buffer | string, event = {}) => {
  const { outcome } = await h.run(
    [
      when(
        c,
        rule('hit', (ctx) => ctx.note('hit')),
      ),
    ],
    message,
    event,
  );
  return (outcome.rulesFired as string[]).includes('hit');
};

describe('attachments: policy', () => {
  it('reads extensions last first, ignoring trailing dots, spaces and controls', () => {
    expect(extensionsOf('Invoice.PDF.exe. ')).toEqual(['exe', 'pdf']);
    expect(extensionsOf('a.exe\u0000.txt')).toEqual(['txt', 'exe']);
    expect(extensionsOf('README')).toEqual([]);
  });

  it('applies extension, inner-extension, executable, archive, mismatch, size and count checks', () => {
    const a = (filename: string, contentType: string, sniffedType?: string, size = 10) => ({
      filename,
      contentType,
      sniffedType,
      size,
      sha256: '',
      related: false,
      depth: 0,
    });
    const list = [
      a('x.exe.pdf', 'application/pdf', 'application/pdf'),
      a('y.pdf', 'application/pdf', 'application/zip'),
    ];
    expect(attachmentViolations(list, attachmentPolicy({}))).toEqual([]);
    expect(attachmentViolations(list, attachmentPolicy({ checkInnerExtensions: true }))[0]?.reason).toBe(
      'blocked extension .exe',
    );
    expect(attachmentViolations(list, attachmentPolicy({ blockTypeMismatch: true }))[0]?.reason).toMatch(
      /but content is application\/zip/,
    );
    expect(attachmentViolations(list, attachmentPolicy({ blockArchives: true }))).toHaveLength(1);
    expect(
      attachmentViolations(
        [
          a(
            'doc.docx',
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            'application/zip',
          ),
        ],
        attachmentPolicy({ blockArchives: true, blockTypeMismatch: true }),
      ),
    ).toEqual([]);
    expect(attachmentViolations(list, attachmentPolicy({ maxSize: 5 }))).toHaveLength(2);
    expect(attachmentViolations(list, attachmentPolicy({ maxCount: 1 })).at(-1)?.reason).toBe(
      '2 attachments, at most 1',
    );
  });

  it('refuses bad configuration', () => {
    expect(() => attachmentPolicy({ blockedExtensions: ['exe', '../x'] })).toThrow(/blockedExtensions\[1\]/);
    expect(() => attachmentPolicy({ maxSize: -1 })).toThrow(ConfigError);
    expect(() => blockAttachments({ bounceMessage: '' })).toThrow(/bounceMessage/);
  });
});

describe('attachments and content over the emulator', () => {
  it('finds the RFC 2231 double-extension executable, archives, and passes clean mail', async () => {
    const bad = await eml('attachment-exe-in-zip-name.eml');
    expect(await fired(hasBlockedAttachment(), bad)).toBe(true);
    expect(
      await fired(hasBlockedAttachment({ blockedExtensions: [], blockExecutableContent: false }), bad),
    ).toBe(false);
    expect(
      await fired(
        hasBlockedAttachment({ blockedExtensions: [], blockExecutableContent: false, blockArchives: true }),
        bad,
      ),
    ).toBe(true);
    expect(await fired(hasBlockedAttachment(), await eml('impersonation-display-name.eml'))).toBe(false);
  });

  it('finds an executable inside an attached message', async () => {
    const inner = [
      'From: x@partner.example',
      'Subject: tools',
      'Content-Type: multipart/mixed; boundary=i',
      '',
      '--i',
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="setup.scr"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('not really a screensaver').toString('base64'),
      '--i--',
      '',
    ].join('\r\n');
    const outer = [
      'From: y@partner.example',
      'To: ap@corp.example',
      'Subject: Fwd: tools',
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'Content-Type: multipart/mixed; boundary=o',
      '',
      '--o',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--o',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment; filename="fwd.eml"',
      '',
      inner,
      '--o--',
      '',
    ].join('\r\n');
    expect(await fired(hasBlockedAttachment(), outer)).toBe(true);
    expect(await fired(hasBlockedAttachment({ blockedExtensions: ['exe'] }), outer)).toBe(false);
  });

  it('bounces by default and notes each reason; strips on request', async () => {
    const bad = await eml('attachment-exe-in-zip-name.eml');
    const bounced = await h.run([blockAttachments()], bad, { recipients: ['ap@corp.example'] });
    expect(bounced.verdict('ap@corp.example')).toMatch(/^BOUNCE:/);
    const notes = (bounced.outcome.fired as { notes: string[] }[])[0]?.notes ?? [];
    expect(notes.join('\n')).toContain('2026-1187.pdf.exe: blocked extension .exe');
    const dropped = await h.run([blockAttachments({ action: Verdicts.DROP })], bad, {
      recipients: ['ap@corp.example'],
    });
    expect(dropped.verdict('ap@corp.example')).toBe('DROP');
    const stripped = await h.run([blockAttachments({ action: 'strip' })], bad, {
      recipients: ['ap@corp.example'],
    });
    // This flow has no updates bucket, so the strip cannot be committed: the .exe is never delivered.
    expect(stripped.verdict('ap@corp.example')).toMatch(/^BOUNCE:.*could not be removed/);
    expect((stripped.outcome.fired as { notes: string[] }[])[0]?.notes).toContain('edit remove-attachments');
  });

  it('matches bodies (text and HTML), headers and the decoded subject header', async () => {
    const spam = await eml('external-spam-verdict.eml');
    expect(await fired(bodyContains({ words: ['bank details'] }), spam)).toBe(true);
    expect(await fired(bodyContains({ words: ['selected'], part: 'html' }), spam)).toBe(true);
    expect(await fired(bodyContains({ words: ['lottery'] }), spam)).toBe(false);
    expect(await fired(headerContains('Reply-To', { substrings: ['payout-desk'] }), spam)).toBe(true);
    expect(await fired(subjectContains({ words: ['€5,000'], source: 'header' }), spam)).toBe(true);
    const latin = await eml('non-utf8-latin1.eml');
    expect(await fired(bodyContains({ words: ['GRÖSSE 42'] }), latin)).toBe(true); // ß case-folds to ss
    expect(await fired(bodyContains({ words: ['grosse 42'] }), latin)).toBe(false);
    expect(
      await fired(bodyContains({ words: ['grosse 42'], normalize: { stripDiacritics: true } }), latin),
    ).toBe(true);
    expect(await fired(bodyContains({ words: ['Größe 42'] }), latin)).toBe(true);
  });

  it('detects card numbers and IBANs in outbound mail, each counted once across parts', async () => {
    const out = await eml('outbound-card-numbers.eml');
    const event = {
      direction: 'OUTBOUND' as const,
      mailFrom: 'bob@corp.example',
      recipients: ['bookings@hotel.example'],
    };
    expect(await fired(containsSensitiveData({ kinds: ['payment-card'] }), out, event)).toBe(true);
    expect(await fired(containsSensitiveData({ minCount: 2 }), out, event)).toBe(true);
    expect(await fired(containsSensitiveData({ minCount: 3 }), out, event)).toBe(false);
    expect(await fired(containsSensitiveData({ kinds: ['iban'] }), await eml('non-utf8-latin1.eml'))).toBe(
      true,
    );
    expect(await fired(containsSensitiveData(), await eml('impersonation-display-name.eml'))).toBe(false);
  });

  it('measures message size by streaming', async () => {
    const message = await eml('attachment-exe-in-zip-name.eml');
    expect(await fired(messageLargerThan(message.length - 1), message)).toBe(true);
    expect(await fired(messageLargerThan(message.length), message)).toBe(false);
    expect(() => messageLargerThan(-5)).toThrow(ConfigError);
  });
});
