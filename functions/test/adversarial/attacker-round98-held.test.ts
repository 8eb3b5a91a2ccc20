import { deflateSync } from 'node:zlib';
import { pdfObjects } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 98: probes already refused before the round's fixes (held), and the bypasses found and left open,
// kept as `it.fails` so that the day one is closed its test says so (flip it to `it`).
const kit = attackerKit(useLocalStack());
const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
const stream = (text: string, dict = '') => ({
  body: `<< ${dict} /Filter /FlateDecode >>`,
  stream: deflateSync(Buffer.from(text, 'latin1')),
});
const FORM = '/Type /XObject /Subtype /Form /BBox [0 0 328 20] /Resources << /Font << /F1 4 0 R >> >>';
// A page saying `Card below`, its annotation `annot` (object 6) drawn by the form in object 7 showing the card.
const annotated = (annot: string, catalog = '') =>
  pdfObjects([
    { body: `<< /Type /Catalog /Pages 2 0 R ${catalog} >>` },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R /Annots [6 0 R] >>',
    },
    { body: HELVETICA },
    stream('BT /F1 12 Tf 72 720 Td (Card below) Tj ET'),
    { body: annot },
    stream('BT /F1 12 Tf 2 4 Td (4111 1111 1111 1111) Tj ET', FORM),
  ]);
const pdf = (file: Buffer) => kit.outbound(outboundFile('statement.pdf', file, 'application/pdf'));

describe('held: PDFs', () => {
  it('bounces digits drawn under a marked-content /ActualText that says otherwise', async () => {
    const file = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      {
        body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
      },
      { body: HELVETICA },
      stream(
        '/Span << /ActualText (see attached) >> BDC BT /F1 12 Tf 72 720 Td (4111 1111 1111 1111) Tj ET EMC',
      ),
    ]);
    expect(await pdf(file)).toBe('BOUNCE');
  });
  it('bounces a form widget whose appearance draws the card over a value `none`', async () => {
    const widget =
      '<< /Type /Annot /Subtype /Widget /FT /Tx /T (c) /V (none) /Rect [72 600 400 620] /AP << /N 7 0 R >> >>';
    expect(await pdf(annotated(widget, '/AcroForm << /Fields [6 0 R] >>'))).toBe('BOUNCE');
  });
  it('bounces a stamp annotation whose appearance draws the card', async () => {
    expect(
      await pdf(annotated('<< /Type /Annot /Subtype /Stamp /Rect [72 600 400 620] /AP << /N 7 0 R >> >>')),
    ).toBe('BOUNCE');
  });
});

describe('held: HTML', () => {
  const cases: Record<string, [string, string?]> = {
    'a list number before the item’s groups': ['<ol start="4111"><li>1111 1111 1111</li></ol>'],
    'a ::marker writing the first group': ['<ul><li>1111 1111 1111</li></ul>', 'li::marker{content:"4111 "}'],
    'grid areas reversed': [
      '<div style="display:grid;grid-template-areas:\'a b c d\'"><span style="grid-area:d">1111</span><span style="grid-area:c">1111</span><span style="grid-area:b">1111</span><span style="grid-area:a">4111</span></div>',
    ],
    'table cells in a right-to-left table': [
      '<table dir="rtl"><tr><td>1111</td><td>1111</td><td>1111</td><td>4111</td></tr></table>',
    ],
    'CSS escapes in generated content': [
      '<span class="c"></span>',
      '.c::before{content:"\\34 111 \\31 111 1111 1111"}',
    ],
    'upright vertical writing': [
      '<div style="writing-mode:vertical-rl;text-orientation:upright">4111 1111 1111 1111</div>',
    ],
    'zero-width and word-joiner splits': [
      '<span>4111</span><span>&#x200B;1111&#8288;1111</span>&#8203;<span>1111</span>',
    ],
    'floats right of three groups and one': [
      '<div><span style="float:right">&nbsp;1111 1111 1111</span><span style="float:right">4111</span></div>',
    ],
  };
  for (const [name, [body, head]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundPage(body, head))).toBe('BOUNCE');
    });
});

describe('left open in round 98, closed in round 99: boxes placed in another order than the markup’s', () => {
  const cases: Record<string, string> = {
    // Apple Mail and Thunderbird lay the second float left of the first: `4111 1111 1111 1111`. Round 89 reads the
    // digit groups in the other order (`1111 4111 1111 1111` here), not the boxes; round 99 reads the boxes in the
    // order drawn (box-order.ts).
    'two floats right of two groups each':
      '<div><span style="float:right">&nbsp;1111 1111</span><span style="float:right">4111 1111</span></div>',
    'SVG texts placed by x':
      '<svg width="400" height="20"><text x="200" y="15">1111 1111</text><text x="0" y="15">4111 1111</text></svg>',
    'SVG tspans placed by x':
      '<svg width="400" height="20"><text y="15"><tspan x="200">1111 1111</tspan><tspan x="0">4111 1111</tspan></text></svg>',
    'absolutely positioned spans':
      '<div style="position:relative"><span style="position:absolute;left:120px">1111 1111</span><span style="position:absolute;left:0">4111 1111</span></div>',
  };
  for (const [name, body] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundPage(body))).toBe('BOUNCE');
    });
});
