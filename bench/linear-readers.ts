// node --conditions=wmflow-source --import tsx bench/linear-readers.ts [--check]
// Readers of hostile content against inputs built to make a careless pass quadratic, in two sets, each timed on
// inputs of two sizes in the same run:
// - the attacker rounds' readers (unclosed comments and attributes, runs of controls, long digit runs, unclosed
//   spreadsheet cells, long archive paths, pages of placed boxes): n and 4n, the median of 3 each; a linear reader
//   takes about 4 times as long on the larger, a quadratic one about 16. `--check` fails above 8.
// - every function that reads message content, on the suite's hostile inputs (packages/rules/test/support/
//   hostile-inputs.ts): one run on 8n against eight on n (best of 5, measured again while 3 or more); linear
//   gives about 1, quadratic 8. `--check` fails at 3 or more.
// The tests assert what the readers give on these inputs; the growth, a timing claim, is measured here.

import { disclaimHtml } from '../packages/core/src/edit/body-edits.js';
import { listArchive } from '../packages/core/src/message/archive-files.js';
import { nameVariants } from '../packages/core/src/message/file-names.js';
import { htmlShownTexts } from '../packages/core/src/message/html-shown.js';
import { excelFormattedTexts } from '../packages/core/src/mime/excel-formats.js';
import { rtfShownTexts } from '../packages/core/src/mime/rtf-text.js';
import { paxHeader, paxRecord, tarArchive, tarEntry, USTAR_MAGIC } from '../packages/core/src/testing/tar.js';
import { jsonLine, shownText } from '../packages/local/src/shown-text.js';
import { sourceTexts } from '../packages/rules/src/detectors/source-texts.js';
import { HOSTILE_INPUTS } from '../packages/rules/test/support/hostile-inputs.js';
import { growth, SCALE } from './lib/growth.js';

interface Case {
  name: string;
  /** What the test of the attacker round that found the input reads, on an input of `n` units. */
  run: (n: number) => () => void;
  n: number;
}

const xlsxStyles =
  '<numFmts><numFmt numFmtId="164" formatCode="&quot;4&quot;0"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>';

const CASES: Case[] = [
  {
    name: 'HTML source texts: unclosed comments and attributes (round 79)',
    n: 200_000,
    run: (n) => {
      const page = '<!--'.repeat(n) + ' data-a="'.repeat(n / 2);
      return () => void sourceTexts(page);
    },
  },
  {
    name: 'replay table text: a run of controls (round 81)',
    n: 25_000,
    run: (n) => {
      const big = '\x1b\u202ea'.repeat(n);
      return () => void jsonLine({ big: shownText(big) });
    },
  },
  {
    name: 'file name variants: long digit runs (round 91)',
    n: 400_000,
    run: (n) => {
      const name = `${'1'.repeat(n)}x.${'2'.repeat(n)}`;
      return () => void nameVariants(name);
    },
  },
  {
    name: 'xlsx number formats: unclosed cells and strings (round 93)',
    n: 50_000,
    run: (n) => {
      const sheets = ['<c s="1">'.repeat(n), '<c s="1" t="s"><v>0'.repeat(n / 4)];
      const strings = '<si>'.repeat(n);
      return () => void excelFormattedTexts(xlsxStyles, sheets, strings);
    },
  },
  {
    name: 'RTF shown text: hidden groups, Unicode escapes, ignorable destinations (round 29)',
    n: 10_000,
    run: (n) => {
      const rtf = `{\\rtf1 ${'{\\v x}\\uc1\\u49 y{\\*\\a b}'.repeat(n)}}`;
      return () => void rtfShownTexts(rtf);
    },
  },
  {
    name: "banner: Outlook's conditional comments before the body (rounds 102 and false-positive 5)",
    n: 5_000,
    run: (n) => {
      const markers = '<!--[if mso]><div>x</div><![endif]--><!--[if !mso]><!--><!--<![endif]-->'.repeat(n);
      const page = `<html><head>${markers}<!--[if !mso]><!--></head><p>hi</p>`;
      return () => void disclaimHtml(page, { text: 'outside', position: 'top', dedupe: 'none' });
    },
  },
  {
    name: 'tar paths against links: a long path (round 97)',
    n: 50_000,
    run: (n) => {
      const tar = tarArchive(
        paxHeader(paxRecord(`path=${'a/'.repeat(1000)}a`)),
        tarEntry('l', Buffer.alloc(0), '2', { ...USTAR_MAGIC, 157: 'y' }),
        paxHeader(paxRecord(`path=${'a/'.repeat(n)}x`)),
        tarEntry('z', Buffer.from('z'), '0', USTAR_MAGIC),
      );
      return () => void listArchive(tar, 'tar');
    },
  },
  {
    name: 'shown page: placed boxes and right-to-left isolates (round 99)',
    n: 2_500,
    run: (n) => {
      const spans = Array.from(
        { length: n },
        (_, i) => `<span style="position:absolute;left:${(i * 37) % 1000}px">${i}</span>`,
      ).join('');
      const page = `<div style="position:relative">${spans}</div><p dir="rtl">${'<bdi>x</bdi> '.repeat(n)}</p>`;
      return () => void htmlShownTexts(page);
    },
  },
];

const LIMIT = 8;

function medianMs(f: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    f();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[1] as number;
}

const rows = ['| reader | n ms | 4n ms | 4n / n |', '| --- | --- | --- | --- |'];
let failed = 0;
for (const c of CASES) {
  const small = c.run(c.n);
  const large = c.run(4 * c.n);
  small(); // warm: compiled before it is timed
  const a = medianMs(small);
  const b = medianMs(large);
  const ratio = b / a;
  if (ratio > LIMIT) failed++;
  rows.push(
    `| ${c.name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${ratio.toFixed(2)}${ratio > LIMIT ? ' (over 8)' : ''} |`,
  );
}
console.log(rows.join('\n'));

const MAX_RATIO = 3;
const readers = [
  '',
  `| reader | n | ${SCALE} × n ms | ${SCALE}n ms | ratio |`,
  '| --- | --- | --- | --- | --- |',
];
let slow = 0;
for (const [name, make, read, n] of HOSTILE_INPUTS) {
  const g = await growth(make, read, n, MAX_RATIO);
  if (g.ratio >= MAX_RATIO) slow++;
  const over = g.ratio >= MAX_RATIO ? ` (${MAX_RATIO} or more)` : '';
  readers.push(
    `| ${name} | ${g.n} | ${g.smallMs.toFixed(1)} | ${g.largeMs.toFixed(1)} | ${g.ratio.toFixed(2)}${over} |`,
  );
  process.stderr.write('.');
}
process.stderr.write('\n');
console.log(readers.join('\n'));
if (process.argv.includes('--check') && (failed > 0 || slow > 0)) {
  if (failed > 0) console.error(`${failed} reader(s) grew more than ${LIMIT}x on a 4x input: not linear`);
  if (slow > 0)
    console.error(
      `${slow} reader(s) took ${MAX_RATIO}x or more on a ${SCALE}x input than ${SCALE} runs on 1x: not linear`,
    );
  process.exit(1);
}
