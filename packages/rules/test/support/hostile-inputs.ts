/**
 * Hostile inputs for every function that reads message content: each built at a size of n units to make a
 * careless reader quadratic (rescanning expressions, nested searches, unclosed constructs). The tests
 * (`adversarial/hostile-inputs.test.ts`) check what the readers give on them; `npm run bench:linear` times
 * each on n and 8n in one run, as the growth is a timing claim.
 */
import { Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import {
  htmlToText,
  LazyMessage,
  normalizeAddress,
  parseAuthenticationResults,
  reachedMailboxes,
  recipientMatchesAny,
} from '@wmflow/core';
import { MessageHeaders, readVisibleText } from '@wmflow/core/mime';
import {
  cmsFile,
  packagedFile,
  paxHeader,
  paxRecord,
  pdfObjects,
  rarFile,
  rtfWithObject,
  tarArchive,
  tarEntry,
  USTAR_MAGIC,
  wordBinary,
  zipFile,
} from '@wmflow/core/testing';
import { attachmentPolicy, attachmentViolations, extensionsOf } from '../../src/attachments/policy.js';
import { normalizeText } from '../../src/content/normalize.js';
import { textMatcher } from '../../src/content/text-matcher.js';
import { groupsTurned } from '../../src/detectors/bidi-order.js';
import { findCardNumbers } from '../../src/detectors/card.js';
import { formulaReading } from '../../src/detectors/formula.js';
import { findIbans } from '../../src/detectors/iban.js';
import { checkSensitiveData } from '../../src/detectors/index.js';
import { officeAttributeTexts } from '../../src/detectors/office-attributes.js';
import { skeletonName } from '../../src/impersonation/index.js';
import { messageDate } from '../../src/journal/key.js';

const headerBlock = (body: string) => Buffer.from(`From: a@b.example\r\n${body}\r\n\r\n`);

export async function parseHtml(html: string): Promise<string | undefined> {
  const raw = `From: a@partner.example\r\nTo: b@corp.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n${html}\r\n`;
  const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
  try {
    return (await message.parsed()).text;
  } finally {
    await message.close();
  }
}

async function calendarNames(calendar: string): Promise<number> {
  const raw = `From: a@partner.example\r\nSubject: x\r\nContent-Type: text/calendar\r\n\r\n${calendar}\r\n`;
  const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
  try {
    return (await message.parts()).parts.length;
  } finally {
    await message.close();
  }
}

async function textNames(text: string): Promise<number> {
  const raw = `From: a@partner.example\r\nSubject: x\r\nContent-Type: text/plain\r\n\r\n${text}\r\n`;
  const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
  try {
    return (await message.parts()).parts[0]?.names.length ?? 0;
  } finally {
    await message.close();
  }
}

/** The names listed inside an attached archive (its bytes as a Latin-1 string), recognised by its first bytes. */
async function archiveNames(archive: string): Promise<number> {
  const body = Buffer.from(archive, 'latin1').toString('base64').replace(/.{76}/g, '$&\r\n');
  const raw = `From: a@partner.example\r\nSubject: x\r\nContent-Type: application/octet-stream; name="a.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`;
  const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
  try {
    return (await message.parts()).parts[0]?.innerNames?.length ?? 0;
  } finally {
    await message.close();
  }
}

/**
 * A zip (as Latin-1 text) of one file `a.bin` deflated in stored blocks (its bytes verbatim) and written with a data
 * descriptor (flag 8), as a streaming writer makes one: `zipFile`'s stored entry with its method and flag patched.
 */
function streamedZip(raw: Buffer): string {
  const data = deflateRawSync(raw, { level: 0 });
  const zip = zipFile([{ name: 'a.bin', data, method: 0 }]);
  const dataEnd = 30 + 'a.bin'.length + data.length;
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(data.length, 8);
  descriptor.writeUInt32LE(data.length, 12);
  const out = Buffer.concat([zip.subarray(0, dataEnd), descriptor, zip.subarray(dataEnd)]);
  out.writeUInt16LE(8, 6);
  out.writeUInt16LE(8, 8);
  const central = dataEnd + 16;
  out.writeUInt16LE(8, central + 8);
  out.writeUInt16LE(8, central + 10);
  out.writeUInt32LE(central, out.length - 6);
  return out.toString('latin1');
}

/** A ustar archive of one file whose pax header holds `records` (lengths computed). */
function paxTar(records: string[]): string {
  const file = tarEntry('a.txt', Buffer.alloc(0), '0', USTAR_MAGIC);
  return tarArchive(paxHeader(records.map(paxRecord).join('')), file).toString('latin1');
}

/** The active-page scan over an attached HTML file (nothing in it is active). */
async function pageScan(html: string): Promise<string | undefined> {
  const raw = `From: a@partner.example\r\nSubject: x\r\nContent-Type: text/html; name="a.html"\r\n\r\n${html}\r\n`;
  const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
  try {
    return (await message.parts()).parts[0]?.activeMarkup;
  } finally {
    await message.close();
  }
}

// A text part in a multipart: its raw body is scanned for lines that start like the enclosing delimiter.
async function fencedText(text: string): Promise<number> {
  const raw = `From: a@partner.example\r\nContent-Type: multipart/mixed; boundary="bb"\r\n\r\n--bb\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--bb--\r\n`;
  const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
  try {
    return (await message.parts()).findings.length;
  } finally {
    await message.close();
  }
}

async function visibleLength(type: string, body: string): Promise<number> {
  const raw = `From: a@corp.example\r\nContent-Type: ${type}\r\n\r\n${body}\r\n`;
  let length = 0;
  await readVisibleText(Buffer.from(raw), (text) => {
    length += text.length;
    return false;
  });
  return length;
}

/** What the DLP reads of a file (its bytes as a Latin-1 string) attached in base64. */
async function fileLength(type: string, name: string, file: string): Promise<number> {
  const body = Buffer.from(file, 'latin1').toString('base64').replace(/.{76}/g, '$&\r\n');
  const raw = `From: a@corp.example\r\nContent-Type: ${type}; name="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`;
  let length = 0;
  await readVisibleText(Buffer.from(raw), (text) => {
    length += text.length;
    return false;
  });
  return length;
}

/** A one-page PDF (as Latin-1 text) whose AcroForm holds one XFA packet of `xml`. */
function xfaPdf(xml: string): string {
  return pdfObjects([
    { body: '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA [(t) 4 0 R] >> >>' },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    { body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>' },
    { body: '<< >>', stream: Buffer.from(xml, 'latin1') },
  ]).toString('latin1');
}

async function headerTextLength(fields: string): Promise<number> {
  let length = 0;
  await readVisibleText(
    Buffer.from(`From: a@corp.example\r\n${fields}Content-Type: text/plain\r\n\r\nhi\r\n`),
    (text) => {
      length += text.length;
      return false;
    },
  );
  return length;
}

/** The parts of a message whose one part has this Content-Type (its Unix mode, file names and type read). */
async function typedPart(contentType: string): Promise<number> {
  const raw = `From: a@partner.example\r\nSubject: x\r\nContent-Type: ${contentType}\r\n\r\nhello\r\n`;
  const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
  try {
    return (await message.parts()).parts.length;
  } finally {
    await message.close();
  }
}

/** A reader's name, the input of `n` units, the reader, and the `n` it is measured at. */
export type HostileInput = [
  name: string,
  make: (n: number) => string,
  read: (input: string) => unknown,
  n: number,
];

export const HOSTILE_INPUTS: HostileInput[] = [
  [
    'part type: x-unix-mode followed by blanks',
    (n) => `application/octet-stream; name=a; x-unix-mode${' '.repeat(n)}x`,
    typedPart,
    20_000,
  ],
  [
    'part type: x-unix-mode value of open comments',
    (n) => `application/octet-stream; name=a; x-unix-mode=${'('.repeat(n)}`,
    typedPart,
    20_000,
  ],
  [
    'shown HTML: inline transform of letters',
    (n) => `<p style="transform:${'a'.repeat(n)}">x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: a turn of a long number',
    (n) => `<p style="transform:rotatex(${'1'.repeat(n)}x)">x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: a margin of a long number',
    (n) => `<p style="margin-left:${'1'.repeat(n)}!">x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: a stylesheet of dashes',
    (n) => `<style>${'-'.repeat(n)}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: generated content of open attr()',
    (n) => `<style>p::before{content:${'attr(a'.repeat(n / 6)}}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: generated content of open counter()',
    (n) => `<style>p::before{content:${'counter('.repeat(n / 8)}}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: a filter of open invert()',
    (n) => `<p style="filter:${'invert('.repeat(n / 7)}">x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: a filter of open blur()',
    (n) => `<p style="filter:${'blur('.repeat(n / 5)}">x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: a filter of open opacity()',
    (n) => `<p style="filter:${'opacity('.repeat(n / 8)}">x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: an attribute selector of blanks',
    (n) => `<style>p[a${' '.repeat(n)}x]{color:red}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: @media blocks never closed',
    (n) => `<style>${'@media a{'.repeat(n / 9)}p{color:red}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: @layer blocks each with a rule',
    (n) => `<style>${'@layer{p{color:red}'.repeat(n / 19)}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: nested style rules, each with &, side by side',
    (n) => `<style>${'p{& b{color:red} > i{color:red}}'.repeat(n / 31)}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: nested style rules never closed, each writing & twice',
    (n) => `<style>${'p{& &{'.repeat(n / 6)}color:red</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: nested :not()',
    (n) => `<style>${':not('.repeat(n / 6)}p${')'.repeat(n / 6)}{color:red}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: @keyframes frames never closed',
    (n) => `<style>${'@keyframes k{from{'.repeat(n / 18)}opacity:0</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: @property rules that do not inherit, each read by an element',
    (n) =>
      `<style>${Array.from({ length: n / 64 }, (_, i) => `@property --p${i}{syntax:'*';inherits:false}`).join('')}</style>${Array.from({ length: n / 64 }, (_, i) => `<b style="--p${i}:1;opacity:var(--p${i})">x`).join('')}`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: animated elements',
    (n) =>
      `<style>@keyframes k{to{opacity:1}}</style>${'<b style="animation:k 1s,k 2s">x</b>'.repeat(n / 38)}`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: a stylesheet of comment openers in strings, bad strings and bad url tokens',
    (n) => `<style>${'.a{x:"/*\n}b{y:url(a"b)}'.repeat(n / 24)}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: blocks opened inside (…) and […] never closed',
    (n) => `<style>${'p{x:f([{'.repeat(n / 8)}</style><p>x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  [
    'shown HTML: url tokens and escapes in a style attribute',
    (n) => `<p style="${'x:url(a\\;b) \\3b;'.repeat(n / 16)}">x</p>`,
    (html) => visibleLength('text/html', html),
    20_000,
  ],
  ['htmlToText: nested <blockquote>', (n) => '<blockquote>'.repeat(n / 12), htmlToText, 40_000],
  ['htmlToText: stray <', (n) => '<'.repeat(n), htmlToText, 40_000],
  ['htmlToText: open comments', (n) => '<!--'.repeat(n / 4), htmlToText, 40_000],
  ['htmlToText: closed comments (no --!>)', (n) => '<!--a-->x'.repeat(n / 9), htmlToText, 40_000],
  ['htmlToText: entities without semicolons', (n) => '&nbsp'.repeat(n / 5), htmlToText, 40_000],
  [
    'message parse: nested <blockquote> HTML body',
    (n) => `${'<blockquote>'.repeat(n / 12)}x`,
    parseHtml,
    12_000,
  ],
  [
    'normalizeText: invisible characters and spaces',
    (n) => '\u200b \u00ad\t'.repeat(n / 4),
    (t) => normalizeText(t),
    40_000,
  ],
  ['findCardNumbers: endless digit groups', (n) => '4111 '.repeat(n / 5), (t) => findCardNumbers(t), 20_000],
  ['findCardNumbers: hyphenated runs', (n) => '4-'.repeat(n / 2), (t) => findCardNumbers(t), 20_000],
  // Round 46: a number's groups turned as right-to-left text draws them.
  ['groupsTurned: endless digit groups', (n) => '4111 '.repeat(n / 5), (t) => groupsTurned(t), 20_000],
  [
    'groupsTurned: groups behind long separators',
    (n) => '1 ** '.repeat(n / 5),
    (t) => groupsTurned(t),
    20_000,
  ],
  ['findIbans: endless IBAN-like groups', (n) => 'GB82 WEST '.repeat(n / 10), (t) => findIbans(t), 20_000],
  [
    'textMatcher: near-miss phrases',
    (n) => 'wire wire '.repeat(n / 10),
    (t) => textMatcher({ words: ['wire transfer now', 'wire wire wire x'] }).match(t),
    40_000,
  ],
  ['skeletonName: long look-alike name', (n) => 'Jоhn Smіth '.repeat(n / 11), skeletonName, 20_000],
  // Sizes past the ~100 kB where parsing falls out of the CPU caches and young-generation GC: with a small input
  // below it and the large one above, the ratio measured the caches (about 3 on a busy 2-core host), not growth.
  [
    'MessageHeaders: one long folded header',
    (n) => `X-Long: ${'a\r\n '.repeat(n / 4)}`,
    (t) => new MessageHeaders(headerBlock(t)),
    160_000,
  ],
  [
    'MessageHeaders: many fields',
    (n) => 'X-A: b\r\n'.repeat(n / 8).trimEnd(),
    (t) => new MessageHeaders(headerBlock(t)),
    160_000,
  ],
  [
    'parseAuthenticationResults: nested comments',
    (n) => `amazonses.com; spf=pass ${'('.repeat(n)}`,
    parseAuthenticationResults,
    40_000,
  ],
  [
    'parseAuthenticationResults: many methods',
    (n) => `amazonses.com;${' spf=pass a=b;'.repeat(n / 14)}`,
    parseAuthenticationResults,
    40_000,
  ],
  [
    'normalizeAddress: quoted local part of escapes',
    (n) => `"${'\\\\a'.repeat(n / 3)}"@corp.example`,
    normalizeAddress,
    40_000,
  ],
  [
    'recipientMatchesAny: a local part of percent hops and bang paths in quotes',
    (n) => `"${'a%b!c@'.repeat(n / 6)}"@corp.example`,
    (t) => recipientMatchesAny(t, ['all-staff@corp.example', 'other.example']),
    40_000,
  ],
  [
    'reachedMailboxes: a local part of percent hops and bang paths, a rate key',
    (n) => `${'a%corp.example!'.repeat(n / 15)}all-staff@corp.example`,
    reachedMailboxes,
    40_000,
  ],
  [
    'messageDate: Received comment of open parentheses',
    (n) => `Received: from x; ${'('.repeat(n)}`,
    (t) => messageDate(new MessageHeaders(headerBlock(t))),
    20_000,
  ],
  [
    'parts(): calendar ATTACH properties with folded, quoted parameters',
    (n) => 'ATTACH;X-FILENAME="a\r\n :b";X\r\n -Y=1:c\r\n'.repeat(n / 36),
    calendarNames,
    40_000,
  ],
  [
    'parts(): calendar ATTACH properties each naming another file',
    (n) => Array.from({ length: n / 32 }, (_, i) => `ATTACH;X-FILENAME=f${i}.txt:x\r\n`).join(''),
    calendarNames,
    40_000,
  ],
  [
    'parts(): uuencode begin lines each naming another file in a text body',
    (n) => Array.from({ length: n / 20 }, (_, i) => `begin 644 f${i}.txt\r\n`).join(''),
    textNames,
    40_000,
  ],
  [
    'parts(): a uuencoded file without an end line, decoded as the text streams past',
    (n) => `begin 644 f.bin\r\n${'M35J0```````````````````````````````````````````\r\n'.repeat(n / 63)}`,
    textNames,
    40_000,
  ],
  [
    'parts(): lines inside a part that start with dashes, none a delimiter',
    (n) => '--c\r\n--b\r\n-- \r\n'.repeat(n / 15),
    fencedText,
    40_000,
  ],
  [
    'parts(): one calendar ATTACH folded endlessly',
    (n) => `ATTACH;X${'\r\n a'.repeat(n / 4)}`,
    calendarNames,
    40_000,
  ],
  [
    'readVisibleText: vCard of escapes, quoted-printable runs and soft breaks',
    (n) => 'NOTE:=41=\r\n=42\\n\\\\\r\n '.repeat(n / 20),
    (t) => visibleLength('text/vcard', t),
    40_000,
  ],
  [
    // Round 27: `/<[^>]*>/g` over an XFA packet of `<` was quadratic (150,000 took 24 s).
    'readVisibleText: a PDF whose XFA packet is all `<`',
    (n) => xfaPdf('<'.repeat(n)),
    (t) => visibleLength('application/pdf', t),
    40_000,
  ],
  [
    'readVisibleText: RTF of control words, escapes and braces',
    (n) => "{\\b1 \\'34\\u52?\\{x}\\".repeat(n / 20),
    (t) => visibleLength('application/rtf', t),
    40_000,
  ],
  [
    // Round 30: the as-shown reading rescanned to the next control for each character of a colour table (200 kB: 30 s).
    'readVisibleText: RTF of plain text inside a colour table',
    (n) => `{\\rtf1{\\colortbl;${'ab;'.repeat(n / 3)}}x}`,
    (t) => visibleLength('application/rtf', t),
    40_000,
  ],
  [
    'readVisibleText: RTF of plain text skipped as \\uN fallbacks',
    (n) => `{\\rtf1\\uc999999999\\u52 ${'ab '.repeat(n / 3)}}`,
    (t) => visibleLength('application/rtf', t),
    40_000,
  ],
  [
    // Pieces that name the same bytes again and again (a budget bounds what is written; the work must follow).
    'readVisibleText: a Word 97 document whose pieces repeat one run',
    (n) => wordBinary([{ text: 'x'.repeat(2000) }], { repeat: Math.ceil(n / 2000) }).toString('latin1'),
    (t) => fileLength('application/msword', 'a.doc', t),
    400_000,
  ],
  [
    // Round 35: an mbox is read as each message it holds, split in one pass; past the part bound it is unread.
    'readVisibleText: an mbox of endless tiny messages',
    (n) => 'From a Sun\r\nMIME-Version: 1.0\r\n\r\nx\r\n\r\n'.repeat(n / 39),
    (t) => fileLength('application/mbox', 'Export.mbox', t),
    40_000,
  ],
  [
    'readVisibleText: an mbox of endless `From ` lines that start no message',
    (n) => `From a Sun\r\nMIME-Version: 1.0\r\n\r\n${'From x\r\n'.repeat(n / 8)}`,
    (t) => fileLength('application/mbox', 'Export.mbox', t),
    40_000,
  ],
  [
    // Round 36: Content-Length messages (mboxcl2) and MMDF separators, each split in one pass.
    'readVisibleText: an mbox of endless Content-Length messages',
    (n) => 'From a Sun\r\nMIME-Version: 1.0\r\nContent-Length: 1\r\n\r\nx\r\n'.repeat(n / 55),
    (t) => fileLength('application/mbox', 'Export.mbox', t),
    40_000,
  ],
  [
    // Round 39: a Content-Length that lands off a `From ` line sends the chain on to the next separator line.
    'readVisibleText: an mbox of endless separator lines whose Content-Length misses',
    (n) =>
      `From a Sun\r\n\r\n${'From b@x Sun Nov 29 10:00:00 2026\r\nContent-Length: 3;\r\n\r\nxxxxx\r\nFrom no\r\n'.repeat(n / 80)}`,
    (t) => fileLength('application/mbox', 'Export.mbox', t),
    40_000,
  ],
  [
    'readVisibleText: an MMDF mailbox of endless separators',
    (n) => `\x01\x01\x01\x01\n${'\x01\x01\x01\x01\nMIME-Version: 1.0\n\n'.repeat(n / 24)}`,
    (t) => fileLength('application/octet-stream', 'mailbox', t),
    40_000,
  ],
  [
    'readVisibleText: an mbox of empty messages, each read whole holding the rest',
    (n) => 'From a Sun\r\nMIME-Version: 1.0\r\n\r\n\r\n'.repeat(n / 35),
    (t) => fileLength('application/mbox', 'Export.mbox', t),
    40_000,
  ],
  [
    'parts(): an attached page of endless attributes, entities and half-schemes',
    (n) => `<a ${'x="data:textx &amp; scrip" '.repeat(n / 28)}>`,
    pageScan,
    40_000,
  ],
  [
    // Round 36: ID3v2 frames walked twice at most (syncsafe and plain sizes), each inflated or resynchronised once.
    'readVisibleText: an MP3 whose unsynchronised ID3v2.4 tag is endless tiny text frames',
    (n) =>
      `ID3\x04\0\x80${String.fromCharCode(...[21, 14, 7, 0].map((s) => ((n * 11) >> s) & 0x7f))}${'TIT2\0\0\0\x01\0\x024'.repeat(n / 11)}`,
    (t) => fileLength('audio/mpeg', 'a.mp3', t),
    40_000,
  ],
  [
    'readVisibleText: a JPEG of endless tiny comment segments and junk bytes',
    (n) => `\xff\xd8${'\xff\xfe\0\x034x'.repeat(n / 7)}`,
    (t) => fileLength('image/jpeg', 'a.jpg', t),
    40_000,
  ],
  ['parts(): an attached page of unclosed tags', (n) => '<a x'.repeat(n / 4), pageScan, 40_000],
  [
    'parts(): a tar whose pax header holds endless records',
    (n) => paxTar(Array.from({ length: n / 12 }, (_, i) => `c=${i}`)),
    archiveNames,
    40_000,
  ],
  [
    // Round 47: an RTF document's embedded objects, each a package read as an archive's file.
    'parts(): an RTF document of endless embedded packages',
    (n) => {
      const one = rtfWithObject('Package', packagedFile('a.txt', Buffer.from('x'))).slice(1, -1);
      return `{${one.repeat(Math.ceil(n / one.length))}}`;
    },
    archiveNames,
    40_000,
  ],
  [
    // Round 110: data of unknown size holding local headers' signatures is inflated once to find its stream's end.
    'parts(): a zip whose file of unknown size is deflated in stored blocks over endless local header signatures',
    (n) => streamedZip(Buffer.from('PK\x03\x04'.repeat(n / 4), 'latin1')),
    archiveNames,
    40_000,
  ],
  [
    // Round 48: an Office document's relationships, tags cut short and a quote never closed.
    'parts(): a .docx whose relationships are endless open tags',
    (n) =>
      zipFile([{ name: 'word/_rels/document.xml.rels', data: '<Relationship a="'.repeat(n / 17) }]).toString(
        'latin1',
      ),
    archiveNames,
    40_000,
  ],
  [
    'parts(): a .docx whose relationship has an endless attribute name',
    (n) =>
      zipFile([
        {
          name: 'word/_rels/document.xml.rels',
          data: `<Relationship TargetMode="External" ${'a'.repeat(n)}`,
        },
      ]).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    // Round 49: values holding `>` (quoted values are read through it) and paths of endless `..` segments.
    'parts(): a .docx whose one relationship has endless values holding > and a path of .. segments',
    (n) =>
      zipFile([
        {
          name: 'word/_rels/document.xml.rels',
          data: `<Relationship TargetMode="External" ${'a=">" '.repeat(n / 12)} Target="${'..\\'.repeat(n / 8)}"/>`,
        },
      ]).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    'parts(): a Flat OPC document of endless nested data elements, part tags and an unclosed comment',
    (n) =>
      `<?xml version="1.0"?><pkg:package><pkg:part pkg:name="/a.rels"><pkg:xmlData>${'<pkg:xmlData><pkg:part a="'.repeat(n / 40)}<!--`,
    archiveNames,
    40_000,
  ],
  [
    'parts(): an RTF document of endless nested field instructions and escapes',
    (n) => `{\\rtf1 ${'{\\*\\fldinst {LINK \\\\'.repeat(n / 18)}`,
    archiveNames,
    40_000,
  ],
  [
    'parts(): a .docx whose document is endless field instruction runs',
    (n) =>
      zipFile([
        { name: 'word/document.xml', data: `<w:d>${'<w:instrText>INCLUDE "a '.repeat(n / 25)}` },
      ]).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    'parts(): a page Word saved of endless field marks and tags between them',
    (n) =>
      `<html xmlns:w="urn:schemas-microsoft-com:office:word">${"<span style='mso-element:field-begin'><b>LINK a ".repeat(n / 50)}`,
    archiveNames,
    40_000,
  ],
  [
    'parts(): an RTF document whose one object has an endless class name of NULs',
    (n) => {
      const u32 = (v: number) => Buffer.from([v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24]);
      const head = Buffer.concat([u32(0x0501), u32(2), u32(n + 1), Buffer.alloc(n), Buffer.from('a')]);
      return `{\\rtf1{\\object{\\*\\objdata ${head.toString('hex')}}}}`;
    },
    archiveNames,
    40_000,
  ],
  [
    'parts(): an RTF document whose one object is endless hex',
    (n) => `{\\rtf1{\\object{\\*\\objdata ${'0'.repeat(n)}}}}`,
    archiveNames,
    40_000,
  ],
  [
    'parts(): a RAR of endless empty files',
    (n) =>
      rarFile(Array.from({ length: n / 40 }, (_, i) => ({ name: `f${i}.txt`, data: '' }))).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    'parts(): a signed file (.p7m) of one-byte BER pieces',
    (n) => cmsFile(Buffer.alloc(n / 3, 0x41), { chunk: 1 }).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    'readVisibleText: one header field name a thousand times',
    (n) => `X-Pad: ${'x'.repeat(40)}\r\n`.repeat(n / 48),
    headerTextLength,
    40_000,
  ],
  [
    'officeAttributeTexts: list levels that never close',
    (n) => '<w:lvl '.repeat(n / 7),
    officeAttributeTexts,
    40_000,
  ],
  [
    'officeAttributeTexts: list levels closing far away',
    (n) => `${'<w:lvl '.repeat(600)}${'x'.repeat(5000)}</w:lvl>`.repeat(Math.ceil(n / 9200)),
    officeAttributeTexts,
    40_000,
  ],
  [
    'officeAttributeTexts: one long attribute name with no value',
    (n) => `<w:lvl ${'x'.repeat(n)}>`,
    officeAttributeTexts,
    40_000,
  ],
  [
    'officeAttributeTexts: a list label after many names with no value',
    (n) => `<w:lvl>${'<w:lvlText '.concat('a '.repeat(n / 4), 'w:val="1"/>')}</w:lvl>`,
    officeAttributeTexts,
    40_000,
  ],
  [
    'formulaReading: nested calls eight deep, over and over',
    (n) => 'CONCAT(CHAR(REPT(LEFT(MID(TEXT(T(TRIM("1"))))))))'.repeat(n / 50),
    formulaReading,
    40_000,
  ],
  ['formulaReading: calls that never close', (n) => 'CONCAT('.repeat(n / 7), formulaReading, 40_000],
  [
    'formulaReading: nested calls each closing far away',
    (n) => `${'CONCAT('.repeat(280)}${'x'.repeat(1990)})`.repeat(Math.ceil(n / 3950)),
    formulaReading,
    40_000,
  ],
  ['formulaReading: joins of joins', (n) => '"&'.repeat(n / 2), formulaReading, 40_000],
  [
    'formulaReading: blanks before each &',
    (n) => `${' '.repeat(999)}&`.repeat(n / 1000),
    formulaReading,
    40_000,
  ],
  ['extensionsOf: file name of dots and spaces', (n) => `a${'. '.repeat(n / 2)}x`, extensionsOf, 80_000],
  [
    'DLP: an OpenDocument text of deep elements, then hidden-paragraph fields',
    (n) => odtFile(`${'<a>'.repeat(n / 6)}${'<t:hidden-paragraph/>'.repeat(n / 42)}`),
    (t) => dlpFile('application/vnd.oasis.opendocument.text', 'a.odt', t),
    40_000,
  ],
  [
    'DLP: a Word document of symbol elements that never close',
    (n) => docxFile(`<w:document><w:body>${'<w:sym '.repeat(n / 7)}`),
    (t) => dlpFile('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'a.docx', t),
    40_000,
  ],
  ['DLP: a page of symbol elements that never close', (n) => '<w:sym '.repeat(n / 7), dlpPage, 40_000],
  [
    'DLP: a page of <bdo dir=rtl> then endless <',
    (n) => `<bdo dir=rtl>${'<'.repeat(n)}</bdo>`,
    dlpPage,
    20_000,
  ],
  [
    // Attacker round 105: each character shifted by dx and moved a row down by dy, read row by row in drawn order.
    'DLP: SVG text placed by dx and dy lists, a row per character',
    (n) =>
      `<svg><text x="0" dx="${'7 -3 '.repeat(n / 10)}" dy="${'9 '.repeat(n / 5)}">${'4'.repeat(n / 5)}</text></svg>`,
    dlpPage,
    20_000,
  ],
  [
    // Attacker round 106: a wrapped run of base64 whose lines change length at every line (each run read up to two
    // more times, cut where the width changes), and a text of percent-escapes.
    'DLP: base64 lines of growing length, then words',
    (n) => {
      let text = '';
      for (let w = 4; text.length < n; w += 4) text += `${'QUJD'.repeat(w / 4).slice(0, w)}\r\n`;
      return `${text}Thanks\r\n`;
    },
    (t) => dlpFinds(`Content-Type: text/plain\r\n\r\n${t}`),
    40_000,
  ],
  [
    'DLP: a text of percent-escapes',
    (n) => '%34%31%31%31%20'.repeat(n / 15),
    (t) => dlpFinds(`Content-Type: text/plain\r\n\r\n${t}`),
    40_000,
  ],
  [
    // Attacker round 108: a file is asked whether it is PostScript by its first bytes (Ctrl-D and white space may
    // come before `%!PS`): a file of nothing else, never reaching the magic.
    'DLP: a file of Ctrl-D and white space before a PostScript magic',
    (n) => `${'\x04 \t'.repeat(n / 3)}%!PS-Adobe-3.0`,
    (t) => dlpFile('application/octet-stream', 'a.bin', t),
    40_000,
  ],
  [
    // Attacker round 111: a printer job is told by its first bytes after Ctrl-D and white space (a PJL header).
    'DLP: a file of Ctrl-D and white space before a PJL header',
    (n) => `${'\x04 \t'.repeat(n / 3)}@PJL ENTER LANGUAGE=POSTSCRIPT`,
    (t) => dlpFile('application/octet-stream', 'a.prn', t),
    40_000,
  ],
  [
    // Attacker round 111: each text node in a vertical writing mode is asked whether it draws a digit upright.
    'DLP: a long text in a vertical writing mode, one digit at its end',
    (n) => `<p style="writing-mode:vertical-rl;text-orientation:upright">${'word '.repeat(n / 5)}4</p>`,
    dlpPage,
    20_000,
  ],
  [
    // Attacker round 112: each row of table cells holding columns of digits is cut into lines and read across.
    'DLP: a table of rows of cells, each a column of digits',
    (n) => `<table>${'<tr><td>4<br>1</td><td>5<br>4</td></tr>'.repeat(n / 40)}</table>`,
    dlpPage,
    20_000,
  ],
  [
    // Attacker round 112: a multi-column box's lines are cut and set in columns; a grid's tracks are counted.
    'DLP: a multi-column box of one-digit lines, a grid template of many tracks',
    (n) =>
      `<div style="column-count:4">${'4<br>'.repeat(n / 5)}</div>` +
      `<div style="display:grid;grid-template-columns:${'1em '.repeat(n / 4)}"><div>1<br>2</div><div>3<br>4</div></div>`,
    dlpPage,
    20_000,
  ],
  [
    // Attacker round 117: each name, and each segment of a packed path, is asked whether its extension is a class id.
    'attachmentViolations: a packed path of many segments, each nearly a class id, and a long name of them',
    (n) => '.{3050F4D8-98B5-11CF-BB82-00AA00BDCE0}/'.repeat(n / 40),
    (t) =>
      attachmentViolations(
        {
          parts: [
            {
              id: '2',
              names: [t.replace(/\//g, '.')],
              innerNames: [t],
              contentType: 'application/zip',
              size: 1,
              container: false,
              related: false,
              depth: 0,
            },
          ],
          findings: [],
        },
        attachmentPolicy({}),
      ).length,
    40_000,
  ],
  [
    // False-positive round 13: a zip entry `._<file>` starting as an AppleDouble file is searched whole for each
    // signature of what a viewer or archive tool would open in it; a resource fork of near-signatures.
    'DLP: a Finder companion (__MACOSX/._a.pdf) whose resource fork is near-signatures',
    (n) => {
      const fork = Buffer.from('PK\x03ob%PD\x1f7z'.repeat(n / 10), 'latin1');
      const head = Buffer.alloc(38);
      head.writeUInt32BE(0x00051607, 0);
      head.writeUInt32BE(0x00020000, 4);
      head.writeUInt16BE(1, 24);
      head.writeUInt32BE(2, 26);
      head.writeUInt32BE(38, 30);
      head.writeUInt32BE(fork.length, 34);
      const data = Buffer.concat([head, fork]);
      return zipFile([{ name: '__MACOSX/._a.pdf', data }]).toString('latin1');
    },
    (t) => dlpFile('application/zip', 'a.zip', t),
    40_000,
  ],
  [
    // Round 118: an RTF template's path of escaped backslashes each spelling `\template` again, never closed.
    'parts(): an RTF document whose template path is endless escaped \\template words',
    (n) => `{\\rtf1{\\*\\template ${'\\\\template'.repeat(n / 11)}`,
    archiveNames,
    40_000,
  ],
  [
    // Round 118: a link's path read for the computer it reaches: endless `//localhost` segments.
    'parts(): a .docx whose template path is endless //localhost segments',
    (n) =>
      zipFile([
        {
          name: 'word/_rels/settings.xml.rels',
          data: `<Relationship Type="a/attachedTemplate" TargetMode="External" Target="file:${'//localhost'.repeat(n / 11)}"/>`,
        },
      ]).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    // Round 118: a folder's desktop.ini read for a value on another computer: one line of endless pieces.
    'parts(): a zip whose desktop.ini is one value of endless //localhost pieces',
    (n) =>
      zipFile([{ name: 'desktop.ini', data: `IconResource=${',"@//localhost'.repeat(n / 14)}` }]).toString(
        'latin1',
      ),
    archiveNames,
    40_000,
  ],
  [
    // Round 118: OpenDocument pictures linked from outside, read for the computer they reach: endless open tags.
    'parts(): an .odt whose content is endless linked picture tags never closed',
    (n) =>
      zipFile([
        { name: 'content.xml', data: `<?xml version="1.0"?>${'<draw:image xlink:href="//a'.repeat(n / 28)}` },
      ]).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    // False-positive round 14: a part named as a page and declared an AppleDouble header (Apple Mail's applefile)
    // is kept whole and searched for each signature and for `<`; a resource fork of near-signatures and NULs.
    'parts(): an applefile header part named index.html whose resource fork is near-signatures',
    (n) => {
      const fork = Buffer.from('PK\x03ob%PD\x1f7z\x00\x00'.repeat(n / 12), 'latin1');
      const head = Buffer.alloc(38);
      head.writeUInt32BE(0x00051607, 0);
      head.writeUInt32BE(0x00020000, 4);
      head.writeUInt16BE(1, 24);
      head.writeUInt32BE(2, 26);
      head.writeUInt32BE(38, 30);
      head.writeUInt32BE(fork.length, 34);
      return Buffer.concat([head, fork]).toString('latin1');
    },
    async (t) => {
      const body = Buffer.from(t, 'latin1').toString('base64').replace(/.{76}/g, '$&\r\n');
      const raw = `From: a@partner.example\r\nSubject: x\r\nContent-Type: application/applefile; name="index.html"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`;
      const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
      try {
        return (await message.parts()).parts[0]?.activeMarkup;
      } finally {
        await message.close();
      }
    },
    40_000,
  ],
  [
    // False-positive round 14: the DLP reads an applefile header part named Report.pdf for its strings after the
    // same search; a resource fork of near-signatures.
    'DLP: an applefile header part (Report.pdf) whose resource fork is near-signatures',
    (n) => {
      const fork = Buffer.from('PK\x03ob%PD\x1f7z'.repeat(n / 10), 'latin1');
      const head = Buffer.alloc(38);
      head.writeUInt32BE(0x00051607, 0);
      head.writeUInt32BE(0x00020000, 4);
      head.writeUInt16BE(1, 24);
      head.writeUInt32BE(2, 26);
      head.writeUInt32BE(38, 30);
      head.writeUInt32BE(fork.length, 34);
      return Buffer.concat([head, fork]).toString('latin1');
    },
    (t) => dlpFile('application/applefile', 'Report.pdf', t),
    40_000,
  ],
  [
    // Attacker round 120: an .xlsx sheet's rows read with their shared strings in place; every cell refers to one
    // long string (a cell keeps 64 of its characters), and endless hidden-column elements spanning every column.
    'DLP: an .xlsx sheet of endless cells naming one long shared string, under endless hidden columns',
    (n) =>
      zipFile([
        { name: 'xl/sharedStrings.xml', data: `<sst><si><t>${'4111 '.repeat(n / 10)}</t></si></sst>` },
        {
          name: 'xl/worksheets/sheet1.xml',
          data: `<worksheet><cols>${'<col min="1" max="16384" hidden="1"/>'.repeat(n / 80)}</cols><sheetData><row>${'<c t="s"><v>0</v></c>'.repeat(n / 44)}`,
        },
        // Endless fonts never closed, one colour at the end; cell formats naming them.
        {
          name: 'xl/styles.xml',
          data: `<styleSheet><fonts>${'<font>'.repeat(n / 24)}<color rgb="FFFFFFFF"/></fonts><cellXfs>${'<xf fontId="9"/>'.repeat(n / 64)}</cellXfs></styleSheet>`,
        },
      ]).toString('latin1'),
    (t) => dlpFile('application/octet-stream', 'book.xlsx', t),
    40_000,
  ],
  [
    // Attacker round 120: a slide's shapes read in the order they are drawn; endless shapes with a digit each, and
    // endless group close tags with nothing of theirs open.
    'DLP: a .pptx slide of endless placed shapes with a digit and stray group close tags',
    (n) =>
      zipFile([
        {
          name: 'ppt/slides/slide1.xml',
          data: `<p:sld><p:spTree>${'<p:sp><a:xfrm><a:off x="9" y="1"/></a:xfrm><a:t>1</a:t></p:sp></p:grpSp>'.repeat(n / 80)}`,
        },
      ]).toString('latin1'),
    (t) => dlpFile('application/octet-stream', 'deck.pptx', t),
    40_000,
  ],
  [
    // Attacker round 120: an OpenDocument slide's frames read in the order drawn; endless frames never closed
    // beside endless placed frames with a digit each.
    'DLP: an .odp of endless unclosed frames and placed frames with a digit',
    (n) =>
      zipFile([
        {
          name: 'content.xml',
          data: `<office:document-content>${'<draw:frame svg:x="1cm" svg:y="1cm"><text:p>1</text:p></draw:frame>'.repeat(n / 140)}${'<draw:frame svg:x="1in">'.repeat(n / 48)}`,
        },
      ]).toString('latin1'),
    (t) => dlpFile('application/vnd.oasis.opendocument.presentation', 'deck.odp', t),
    40_000,
  ],
  [
    // Attacker round 119: a page's <style> read for addresses on another computer: endless url( of escaped
    // backslashes, never closed, read twice (as CSS, and with backslashes as written).
    'parts(): an attached page whose <style> is endless url( of escaped backslashes',
    (n) => `<style>${'url(\\\\'.repeat(n / 7)}`,
    pageScan,
    40_000,
  ],
  [
    // Attacker round 119: a page's style attribute of endless strings and references, each read as an address.
    'parts(): an attached page whose style attribute is endless quoted strings with references',
    (n) => `<p style="${"x:'&#47;&quot;'".repeat(n / 15)}">`,
    pageScan,
    40_000,
  ],
  [
    // Attacker round 119: an HTML body read for pictures on another computer, comments read as markup: endless
    // comment openers, srcset candidates and numeric references in a source.
    'parts(): an HTML body of endless comment openers, srcset candidates and references',
    (n) => `${'<!--'.repeat(n / 8)}<img srcset="${'a 1x,'.repeat(n / 10)}" src="${'&#92;'.repeat(n / 10)}`,
    shownHostOf,
    40_000,
  ],
  [
    // False-positive round 14: a run of 16 digits between hex letters looks for the hex token around it, at most a
    // digest's length each side; a text of such runs back to back.
    'findCardNumbers: endless card-like runs between hex letters',
    (n) => 'a4539578763621486f'.repeat(n / 18),
    (t) => findCardNumbers(t),
    20_000,
  ],
  [
    // Attacker round 119: a playlist read both as lines and as markup for entries on another computer: endless
    // unclosed sources, `<location>` openers and `=` pieces on one line.
    'parts(): a zip whose .m3u is endless unclosed sources and locations on one line',
    (n) =>
      zipFile([{ name: 'Mix.m3u', data: `${'src="a=<location>&#92;'.repeat(n / 22)}` }]).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    // Attacker round 119: an Excel workbook's data connections read for sources on another computer: one connection
    // string of endless settings, never closed.
    'parts(): a zip whose connections.xml is one endless connection string',
    (n) =>
      zipFile([
        {
          name: 'xl/connections.xml',
          data: `<?xml version="1.0"?><dbPr connection="${'a=b;'.repeat(n / 4)}`,
        },
      ]).toString('latin1'),
    archiveNames,
    40_000,
  ],
  [
    // Attacker round 121: a From display name in raw 8-bit bytes (not UTF-8) read in each charset a client may
    // decode it in, each reading parsed as a mailbox list: endless high bytes, quotes and escapes, never closed.
    'rawHeaderReadings: a raw 8-bit From of endless quotes, escapes and high bytes',
    (n) => `"J\xe0n\xe5 \x1b$B#J${'\xe0\\"\xe5<'.repeat(n / 5)}`,
    async (value) => {
      const { rawHeaderReadings } = await import('@wmflow/core/mime');
      return rawHeaderReadings(Buffer.from(value, 'latin1'), ['windows-1251']).map(
        (reading) => new MessageHeaders(Buffer.from(`X: ${reading}\r\n\r\n`)).addresses('x').length,
      );
    },
    20_000,
  ],
  [
    // Attacker round 121: raw bytes inside Q encoded words escaped for the word's charset: words that never close,
    // and one endless word of raw bytes and equals signs.
    'rawHeaderReadings: endless unclosed Q words and raw bytes',
    (n) => `${'=?a?Q?\xe0'.repeat(n / 14)}=?windows-1251?Q?${'\xe0='.repeat(n / 4)}?=`,
    async (value) => {
      const { rawHeaderReadings } = await import('@wmflow/core/mime');
      return rawHeaderReadings(Buffer.from(value, 'latin1')).length;
    },
    20_000,
  ],
  [
    // False-positive round 15: CNPJs labelled in a text are cleared in the message's later readings: endless labels
    // with and without their 14 digits, each valid CNPJ a card's prefix, then the same text again unlabelled.
    'collectSensitive: endless CNPJ labels and labelled CNPJs',
    (n) => `${'<CNPJ>36000009000140 CNPJ/CPF:" cnpj'.repeat(n / 37)}`,
    async (text) => {
      const { collectSensitive } = await import('../../src/detectors/index.js');
      const cleared = new Set<string>();
      collectSensitive(text, ['payment-card'], new Set(), 1, {}, cleared);
      return [...collectSensitive(text.replace(/cnpj/gi, ''), ['payment-card'], new Set(), 1, {}, cleared)];
    },
    20_000,
  ],
  [
    // False-positive round 15: a protected name of short words joined is looked for alone among a display name's
    // words: an endless name of its joined form and other words.
    'impersonatesProtectedName: an endless display name of a short protected name joined',
    (n) =>
      `From: "${'Lina Müller '.repeat(n / 12)}" <x@evil.example>\r\nContent-Type: text/plain\r\n\r\nhi\r\n`,
    async (raw) => {
      const { impersonatesProtectedName } = await import('../../src/impersonation/index.js');
      const { LazyMessage: Lazy } = await import('@wmflow/core');
      const message = new Lazy(async () => Readable.from([Buffer.from(raw)]));
      try {
        const ctx = {
          message,
          envelope: { mailFrom: 'x@evil.example', recipients: [] },
          direction: 'INBOUND',
          organizationDomains: ['corp.example'],
          note: () => {},
        };
        return await impersonatesProtectedName({ names: ['Li Na'] })(ctx as never);
      } finally {
        await message.close();
      }
    },
    20_000,
  ],
];

/** Whether the DLP finds a number in a message (it reads each page and Office part as shown too). */
async function dlpFinds(part: string): Promise<boolean> {
  const raw = Buffer.from(
    `From: a@corp.example\r\nTo: b@partner.example\r\nSubject: x\r\n${part}\r\n`,
    'latin1',
  );
  const check = checkSensitiveData();
  // The DLP reads the text and asks the part walk how the structure reads (its framing findings).
  const message = new LazyMessage(async () => Readable.from([raw]));
  // A part left unread is logged (a page whose rows are not laid out, attacker round 111).
  const ctx = { subject: 'x', deadline: Date.now() + 600_000, message, logger: { warn: () => {} } };
  try {
    return (await check(ctx as unknown as Parameters<typeof check>[0])).found;
  } finally {
    await message.close();
  }
}

function dlpPage(html: string): Promise<boolean> {
  return dlpFinds(`Content-Type: text/html\r\n\r\n${html}`);
}

/** {@link dlpFinds} on a file (its bytes as a Latin-1 string) attached in base64. */
function dlpFile(type: string, name: string, file: string): Promise<boolean> {
  const body = Buffer.from(file, 'latin1').toString('base64').replace(/.{76}/g, '$&\r\n');
  return dlpFinds(
    `Content-Type: ${type}; name="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`,
  );
}

/** An OpenDocument text (as Latin-1 text) whose content.xml is `content`. */
function odtFile(content: string): string {
  return zipFile([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: 0 },
    { name: 'content.xml', data: content },
  ]).toString('latin1');
}

/** A Word document (as Latin-1 text) whose word/document.xml is `document`. */
function docxFile(document: string): string {
  return zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    { name: 'word/document.xml', data: document },
  ]).toString('latin1');
}

/** What the walk finds in an HTML body that makes Windows sign in to another computer (attacker round 119). */
async function shownHostOf(html: string): Promise<string | undefined> {
  const raw = `From: a@partner.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n${html}\r\n`;
  const message = new LazyMessage(async () => Readable.from([Buffer.from(raw)]));
  try {
    return (await message.parts()).parts[0]?.shownHost;
  } finally {
    await message.close();
  }
}
