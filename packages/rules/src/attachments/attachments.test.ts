import { ConfigError, rule, Verdicts, when } from '@wmflow/core';
import { rarFile, tarArchive, tarEntry, zipFile } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { bodyContains, headerContains, subjectContains } from '../content/index.js';
import { containsSensitiveData } from '../detectors/index.js';
import { messageLargerThan } from '../size/index.js';
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

/** A partner's message: a text part, then one part of these headers and body. */
const withAttachment = (subject: string, partHeaders: readonly string[], body: string) =>
  [
    'From: y@partner.example',
    'To: ap@corp.example',
    `Subject: ${subject}`,
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Content-Type: multipart/mixed; boundary=o',
    '',
    '--o',
    'Content-Type: text/plain',
    '',
    'see attached',
    '--o',
    ...partHeaders,
    '',
    body,
    '--o--',
    '',
  ].join('\r\n');

const part = (name: string, contentType: string) => ({
  id: name,
  names: [name],
  contentType,
  size: 10,
  disposition: 'attachment',
  container: false,
  related: false,
  depth: 0,
});

describe('attachments: policy', () => {
  it('reads extensions last first, ignoring trailing dots, spaces and controls', () => {
    expect(extensionsOf('Invoice.PDF.exe. ')).toEqual(['exe', 'pdf']);
    expect(extensionsOf('a.exe\u0000.txt')).toEqual(['txt', 'exe']);
    expect(extensionsOf('README')).toEqual([]);
    expect(extensionsOf('a.vbs::$DATA')).toEqual(['vbs']);
    expect(extensionsOf('a.v\u007fbs')).toEqual(['vbs']);
    expect(extensionsOf('Re: report.exe:hidden:$DATA')).toContain('exe');
  });

  it('applies extension, inner-extension, executable, archive, mismatch, size and count checks', () => {
    const a = (name: string, contentType: string, sniffedType?: string, size = 10) => ({
      id: name,
      names: [name],
      contentType,
      sniffedType,
      size,
      disposition: 'attachment',
      container: false,
      related: false,
      depth: 0,
    });
    const list = {
      parts: [
        a('x.exe.pdf', 'application/pdf', 'application/pdf'),
        a('y.pdf', 'application/pdf', 'application/zip'),
      ],
      findings: [],
    };
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
        {
          parts: [
            a(
              'doc.docx',
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
              'application/zip',
            ),
          ],
          findings: [],
        },
        attachmentPolicy({ blockArchives: true, blockTypeMismatch: true }),
      ),
    ).toEqual([]);
    expect(attachmentViolations(list, attachmentPolicy({ maxSize: 5 }))).toHaveLength(2);
    expect(attachmentViolations(list, attachmentPolicy({ maxCount: 1 })).at(-1)?.reason).toBe(
      '2 attachments, at most 1',
    );
  });

  it('lets archives it cannot list through only with allowUnlistedArchives, and checks the names it read', () => {
    const rar = { ...part('secure.rar', 'application/vnd.rar'), innerNames: ['report.pdf', 'tools/run.exe'] };
    const unlisted = {
      partId: 'secure.rar',
      kind: 'malformed' as const,
      reason: 'the files inside the rar archive cannot all be listed: bad header CRC at 80',
      strippable: true as const,
      unlisted: true as const,
    };
    const inventory = { parts: [{ ...rar, innerNames: ['report.pdf'] }], findings: [unlisted] };
    expect(attachmentViolations(inventory, attachmentPolicy({}))[0]?.reason).toMatch(/cannot all be listed/);
    expect(attachmentViolations(inventory, attachmentPolicy({ allowEncryptedArchives: true }))).toHaveLength(
      1,
    );
    expect(attachmentViolations(inventory, attachmentPolicy({ allowUnlistedArchives: true }))).toEqual([]);
    const withExe = { parts: [rar], findings: [unlisted] };
    expect(attachmentViolations(withExe, attachmentPolicy({ allowUnlistedArchives: true }))[0]?.reason).toBe(
      'blocked file inside the archive: tools/run.exe',
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

  it('blockArchives refuses every archive core recognises, whatever its name or declared type says', async () => {
    const attached = (name: string, type: string, bytes: Buffer) =>
      withAttachment(
        'files',
        [
          `Content-Type: ${type}`,
          `Content-Disposition: attachment; filename="${name}"`,
          'Content-Transfer-Encoding: base64',
        ],
        bytes.toString('base64'),
      );
    const tar = tarArchive(tarEntry('notes.txt', Buffer.from('hello')));
    const rar = rarFile([{ name: 'notes.txt', data: 'hello' }]);
    const cpio = Buffer.from(`070701${'0'.repeat(104)}`, 'latin1');
    const blockOnly = {
      blockedExtensions: [],
      blockExecutableContent: false,
      blockArchives: true,
      allowUnlistedArchives: true,
    };
    for (const [name, type, bytes] of [
      ['report.dat', 'application/octet-stream', tar], // a tar under another name: listed, and an archive
      ['scan.r00', 'application/octet-stream', rar], // the first volume of an old-style RAR set
      ['payload.cpio', 'application/octet-stream', cpio],
      ['photos.pdf', 'application/x-rar', rar],
    ] as const) {
      const message = attached(name, type, bytes);
      expect(await fired(hasBlockedAttachment({ ...blockOnly, blockArchives: false }), message), name).toBe(
        false,
      );
      expect(await fired(hasBlockedAttachment(blockOnly), message), name).toBe(true);
    }
    // An Office document is a zip by its bytes, and no archive to its reader.
    const docx = zipFile([{ name: 'word/document.xml', data: '<w:document/>' }]);
    const wordType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(await fired(hasBlockedAttachment(blockOnly), attached('report.docx', wordType, docx))).toBe(false);
    expect(await fired(hasBlockedAttachment(blockOnly), attached('report.bin', wordType, docx))).toBe(true);
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
    const outer = withAttachment(
      'Fwd: tools',
      ['Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="fwd.eml"'],
      inner,
    );
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
    // Strip means stripped, or not delivered: with no updates bucket the removal cannot be committed.
    const uncommitted = await h.run([blockAttachments({ action: 'strip' })], bad, {
      recipients: ['ap@corp.example'],
    });
    expect(uncommitted.verdict('ap@corp.example')).toMatch(/^BOUNCE:/);
    const stripped = await h.run(
      [blockAttachments({ action: 'strip' })],
      bad,
      { recipients: ['ap@corp.example'] },
      { updates: { bucket: 'journal' } },
    );
    expect(stripped.verdict('ap@corp.example')).toBe('DEFAULT');
    expect((stripped.outcome.edit as { status: string }).status).toBe('committed');
    // The deadline comes before the removal is committed: the strip's recipients get the bounce, not DEFAULT.
    const stall = rule(
      'stall',
      (ctx) => new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r())),
    );
    const late = await h.run(
      [blockAttachments({ action: 'strip' }), stall],
      bad,
      { recipients: ['ap@corp.example', 'bob@corp.example'] },
      { updates: { bucket: 'journal' }, deadline: { workmailTimeoutMs: 1500, safetyMarginMs: 0 } },
    );
    expect(late.verdict('ap@corp.example')).toMatch(/^BOUNCE:/);
    expect(late.verdict('bob@corp.example')).toMatch(/^BOUNCE:/);
    expect(late.outcome.warnings).toEqual([
      expect.stringMatching(/^parts .* were not removed \(skipped: deadline/),
    ]);
    expect((stripped.outcome.fired as { notes: string[] }[])[0]?.notes).toContain('edit remove-parts');
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
