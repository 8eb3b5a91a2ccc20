import { zipAfter, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, script } from './attacker-kit.js';
import { twinKit, useTwinStack } from './twin-kit.js';

// Attacker round 91: WinZip's `.zipx`, which WinRAR (by default), WinZip and 7-Zip open as a zip, found behind
// whatever bytes come first (as they open a self-extractor). A part named `.zip` is listed whatever its first bytes
// (a zip behind other bytes is refused); `.zipx` claimed nothing, so such a part was not listed and was delivered.
const stack = useTwinStack();
const kit = attackerKit(stack);
const twins = twinKit(stack);

const JS = script('91-zipx');
const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';
const hiddenZip = zipAfter(Buffer.from('WinZip archive\r\n'), zipFile([{ name: 'invoice.js', data: JS }]));

describe('A91-2: a .zipx holding a zip behind other bytes', () => {
  attachmentTests(kit, {
    'invoice.zipx': attachedFile('invoice.zipx', hiddenZip),
    'Invoice.ZIPX. (case, a trailing dot)': attachedFile('Invoice.ZIPX.', hiddenZip),
  });
  it('guard-ses refuses it too', async () => {
    const { answer } = await twins.sesGuard(attachedFile('invoice.zipx', hiddenZip)[0], {});
    expect(answer).not.toEqual({ disposition: 'CONTINUE' });
  });
  it('a .zipx of a script at its start (held: listed by its bytes)', async () => {
    const message = attachedFile('invoice.zipx', zipFile([{ name: 'invoice.js', data: JS }]))[0];
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
});

describe('A91-2 control', () => {
  it('a .zipx compressed with LZMA (method 14) was refused already: an unknown compression', async () => {
    const message = attachedFile('report.zipx', zipFile([{ name: 'report.pdf', data: PDF, method: 14 }]))[0];
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
  it('a .zipx of a PDF is delivered (guard and guard-ses)', async () => {
    const message = attachedFile('report.zipx', zipFile([{ name: 'report.pdf', data: PDF, method: 8 }]))[0];
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
    expect((await twins.sesGuard(message, {})).answer).toEqual({ disposition: 'CONTINUE' });
  });
});
