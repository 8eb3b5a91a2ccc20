import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { DOCX, docxOf, W } from './office-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 93, probes that held: a card in Office parts and attributes a viewer shows, and in HTML drawn
// through CSS or markup, each refused by outbound-policy at its defaults before any change of this round.
const kit = attackerKit(useLocalStack());
const CARD = '4539 1488 0343 6467';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const SS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const run = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const docxWith = (name: string, xml: string) =>
  zipFile([
    {
      name: 'word/document.xml',
      data: `<w:document xmlns:w="${W}"><w:body>${run('Hello')}</w:body></w:document>`,
    },
    { name, data: xml },
  ]);
const xlsx = (sheets: string, sheet: string) =>
  zipFile([
    { name: 'xl/workbook.xml', data: `<workbook ${SS}><sheets>${sheets}</sheets></workbook>` },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<worksheet ${SS}><sheetData>${sheet}</sheetData></worksheet>`,
    },
  ]);

describe('held: Office parts', () => {
  const cases: Record<string, [string, Buffer, string]> = {
    'a Word header': [
      'a.docx',
      docxWith('word/header1.xml', `<w:hdr xmlns:w="${W}">${run(CARD)}</w:hdr>`),
      DOCX,
    ],
    'a Word footnote': [
      'a.docx',
      docxWith(
        'word/footnotes.xml',
        `<w:footnotes xmlns:w="${W}"><w:footnote w:id="1">${run(CARD)}</w:footnote></w:footnotes>`,
      ),
      DOCX,
    ],
    'a Word comment': [
      'a.docx',
      docxWith(
        'word/comments.xml',
        `<w:comments xmlns:w="${W}"><w:comment w:id="0">${run(CARD)}</w:comment></w:comments>`,
      ),
      DOCX,
    ],
    'a document title (core.xml)': [
      'a.docx',
      docxWith(
        'docProps/core.xml',
        `<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${CARD}</dc:title></cp:coreProperties>`,
      ),
      DOCX,
    ],
    'a custom property (custom.xml)': [
      'a.docx',
      docxWith(
        'docProps/custom.xml',
        `<Properties xmlns:vt="v"><property name="Ref"><vt:lpwstr>${CARD}</vt:lpwstr></property></Properties>`,
      ),
      DOCX,
    ],
    'a tracked deletion, shown struck through': [
      'a.docx',
      docxOf(`<w:p><w:del w:id="1"><w:r><w:delText>${CARD}</w:delText></w:r></w:del></w:p>`),
      DOCX,
    ],
    'a tracked insertion split across runs': [
      'a.docx',
      docxOf(
        `<w:p><w:r><w:t>4539 1488 </w:t></w:r><w:ins w:id="1"><w:r><w:t>0343 6467</w:t></w:r></w:ins></w:p>`,
      ),
      DOCX,
    ],
    'a simple field’s cached result': [
      'a.docx',
      docxOf(
        `<w:p><w:fldSimple w:instr=" DOCPROPERTY Ref "><w:r><w:t>${CARD}</w:t></w:r></w:fldSimple></w:p>`,
      ),
      DOCX,
    ],
    'a text box': [
      'a.docx',
      docxOf(
        `<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>${run(CARD)}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>`,
      ),
      DOCX,
    ],
    'an Excel inline string': [
      'a.xlsx',
      xlsx('<sheet name="A" sheetId="1"/>', `<row><c r="A1" t="inlineStr"><is><t>${CARD}</t></is></c></row>`),
      XLSX,
    ],
    'an Excel chart’s cached values': [
      'a.xlsx',
      zipFile([
        {
          name: 'xl/charts/chart1.xml',
          data: `<c:chartSpace xmlns:c="c"><c:strCache><c:pt idx="0"><c:v>${CARD}</c:v></c:pt></c:strCache></c:chartSpace>`,
        },
      ]),
      XLSX,
    ],
    'PowerPoint speaker notes': [
      'a.pptx',
      zipFile([
        {
          name: 'ppt/notesSlides/notesSlide1.xml',
          data: `<p:notes xmlns:p="p" xmlns:a="a"><a:t>${CARD}</a:t></p:notes>`,
        },
      ]),
      PPTX,
    ],
  };
  for (const [name, [file, bytes, type]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundFile(file, bytes, type))).toBe('BOUNCE');
    });
});

describe('held: HTML drawn by CSS and markup', () => {
  const page = (body: string) =>
    mail(['From: Bob <bob@corp.example>', 'Content-Type: text/html; charset=utf-8'], body);
  const cases: Record<string, string> = {
    'negative letter-spacing between groups': `<p><span style="letter-spacing:-0.3em">4539 1488</span> 0343 6467</p>`,
    'text-transform on the groups': `<p style="text-transform:uppercase">${CARD}</p>`,
    'bidi-override per group':
      '<p><span style="unicode-bidi:bidi-override;direction:rtl">9354</span> <span style="unicode-bidi:bidi-override;direction:rtl">8841</span> <span style="unicode-bidi:bidi-override;direction:rtl">3430</span> <span style="unicode-bidi:bidi-override;direction:rtl">7646</span></p>',
    'bdo per group':
      '<p><bdo dir="rtl">9354</bdo> <bdo dir="rtl">8841</bdo> <bdo dir="rtl">3430</bdo> <bdo dir="rtl">7646</bdo></p>',
    'an SVG textPath': `<svg><defs><path id="p" d="M0 10 H400"/></defs><text><textPath href="#p">${CARD}</textPath></text></svg>`,
    'a details summary': `<details><summary>${CARD}</summary>x</details>`,
    'soft hyphens and wbr inside groups': '<p>45&shy;39 14<wbr>88 03&shy;43 64<wbr>67</p>',
  };
  for (const [name, body] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(page(body))).toBe('BOUNCE');
    });
});
