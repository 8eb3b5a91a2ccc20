import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 120 (DLP, an inside user sending a card out through outbound-policy at its defaults): a card in a
// slide's shapes or a Word document's floating text boxes, written in another order than they are drawn. PowerPoint
// draws each shape at its `<a:off>` (through its groups' transforms), Word each anchored drawing at its
// `<wp:posOffset>`; the XML was read as written. Four boxes written `1488`, `6467`, `4539`, `0343` and placed at 1, 3,
// 0 and 2 inches show `4539 1488 0343 6467`, a Visa number; neither the text as written nor reversed is one (round
// 90's permutation), and Word's text boxes were read apart even in order: sent.
const kit = attackerKit(useLocalStack());
const WRITTEN = ['1488', '6467', '4539', '0343'];
const PLACE = [1, 3, 0, 2];
const INCH = 914_400;

const P =
  'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const xfrm = (x: number, y: number, cx = INCH, cy = 400_000, extra = '') =>
  `<a:xfrm${extra}><a:off x="${x}" y="${y}"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm>`;
const shape = (id: number, x: number, text: string, y = INCH, extra = '') =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="TextBox ${id}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>${xfrm(x, y, INCH, 400_000, extra)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr wrap="none"/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US" sz="2400"/><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp>`;
const group = (inner: string, groupXfrm: string) =>
  `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="90" name="Group 90"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>${groupXfrm}</p:grpSpPr>${inner}</p:grpSp>`;
const slide = (shapes: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld ${P}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shapes}</p:spTree></p:cSld></p:sld>`;
const pptx = (xml: string) =>
  outboundFile(
    'q3-review.pptx',
    zipFile([
      {
        name: '[Content_Types].xml',
        data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
      },
      {
        name: 'ppt/presentation.xml',
        data: `<?xml version="1.0"?><p:presentation ${P}><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`,
      },
      { name: 'ppt/slides/slide1.xml', data: xml },
    ]),
  );
const permuted = (y = INCH) =>
  WRITTEN.map((g, i) => shape(i + 2, (PLACE[i] as number) * INCH, g, y)).join('');

const W =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"';
const textBox = (text: string, spPr = '') =>
  `<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>${spPr}</wps:spPr><wps:txbx><w:txbxContent><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>`;
const anchor = (horizontal: string, graphic: string, id: number) =>
  `<w:r><w:drawing><wp:anchor behindDoc="0" simplePos="0" relativeHeight="${id}" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">${horizontal}</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="${INCH}" cy="300000"/><wp:wrapNone/><wp:docPr id="${id}" name="Text Box ${id}"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">${graphic}</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>`;
const offset = (x: number) => `<wp:posOffset>${x}</wp:posOffset>`;
const docx = (body: string) =>
  outboundFile(
    'letter.docx',
    zipFile([
      {
        name: '[Content_Types].xml',
        data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      },
      {
        name: 'word/document.xml',
        data: `<?xml version="1.0"?><w:document ${W}><w:body>${body}</w:body></w:document>`,
      },
    ]),
  );

const odp = (frames: string) =>
  outboundFile(
    'q3-review.odp',
    zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.presentation', method: 0 },
      {
        name: 'content.xml',
        data: `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"><office:body><office:presentation><draw:page draw:name="page1">${frames}</draw:page></office:presentation></office:body></office:document-content>`,
      },
    ]),
  );
const frame = (x: string, text: string, y = '2cm', extra = '') =>
  `<draw:frame svg:x="${x}" svg:y="${y}" svg:width="2cm" svg:height="1cm"${extra}><draw:text-box><text:p>${text}</text:p></draw:text-box></draw:frame>`;

describe('A120-2: a card in boxes drawn in another order than written (bounced)', () => {
  const cases: Record<string, Buffer> = {
    'slide: four text boxes placed by a:off in another order': pptx(slide(permuted())),
    'slide: two boxes of two groups each, the second drawn left': pptx(
      slide(shape(2, 2 * INCH, '1111 1111') + shape(3, 0, '4111 1111')),
    ),
    'slide: the boxes one pixel apart in height (one line)': pptx(
      slide(WRITTEN.map((g, i) => shape(i + 2, (PLACE[i] as number) * INCH, g, INCH + i * 9525)).join('')),
    ),
    'slide: the boxes in a group flipped horizontally': pptx(
      slide(
        group(
          WRITTEN.map((g, i) => shape(i + 2, ([2, 0, 3, 1][i] as number) * INCH, g)).join('') +
            shape(9, 5 * INCH, 'Ref', 3 * INCH) +
            shape(10, 7 * INCH, '2026', 3 * INCH),
          `<a:xfrm flipH="1"><a:off x="0" y="0"/><a:ext cx="${8 * INCH}" cy="${4 * INCH}"/><a:chOff x="0" y="0"/><a:chExt cx="${8 * INCH}" cy="${4 * INCH}"/></a:xfrm>`,
        ),
      ),
    ),
    'slide: the boxes in a group scaled from its child frame': pptx(
      slide(
        shape(2, 2 * INCH, '0343') +
          group(
            shape(3, 30 * INCH, '6467') + shape(4, 0, '4539'),
            `<a:xfrm><a:off x="0" y="${INCH}"/><a:ext cx="${4 * INCH}" cy="400000"/><a:chOff x="0" y="${INCH}"/><a:chExt cx="${40 * INCH}" cy="400000"/></a:xfrm>`,
          ) +
          shape(5, INCH, '1488'),
      ),
    ),
    'document: floating text boxes placed by posOffset in another order': docx(
      `<w:p>${WRITTEN.map((g, i) => anchor(offset((PLACE[i] as number) * INCH), textBox(g), i + 1)).join('')}</w:p>`,
    ),
    'document: floating text boxes side by side in order (read apart before)': docx(
      `<w:p>${['4539', '1488', '0343', '6467'].map((g, i) => anchor(offset(i * INCH), textBox(g), i + 1)).join('')}</w:p>`,
    ),
    'document: two boxes of two groups, aligned right and left': docx(
      `<w:p>${anchor('<wp:align>right</wp:align>', textBox('1111 1111'), 1)}${anchor('<wp:align>left</wp:align>', textBox('4111 1111'), 2)}</w:p>`,
    ),
    'document: a drawing group whose text boxes are placed in another order': docx(
      `<w:p>${anchor(
        offset(0),
        `<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${4 * INCH}" cy="300000"/><a:chOff x="0" y="0"/><a:chExt cx="${4 * INCH}" cy="300000"/></a:xfrm></wpg:grpSpPr>${WRITTEN.map((g, i) => textBox(g, xfrm((PLACE[i] as number) * INCH, 0, INCH, 300000))).join('')}</wpg:wgp>`,
        1,
      )}</w:p>`,
    ),
    'OpenDocument slide: frames placed by svg:x in another order': odp(
      WRITTEN.map((g, i) => frame(`${(PLACE[i] as number) * 3}cm`, g)).join(''),
    ),
    'OpenDocument slide: rotated frames placed by draw:transform, in inches and centimetres': odp(
      WRITTEN.map((g, i) =>
        frame('', g, '', ` draw:transform="rotate (0.01) translate (${(PLACE[i] as number) * 1.2}in 2cm)"`),
      ).join(''),
    ),
  };
  for (const [name, message] of Object.entries(cases)) {
    it(name, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
  it('held: four slide text boxes in order', async () => {
    expect(
      await kit.outbound(
        pptx(slide(['4539', '1488', '0343', '6467'].map((g, i) => shape(i + 2, i * INCH, g)).join(''))),
      ),
    ).toBe('BOUNCE');
  });
  it('a slide whose groups nest past 32 deep is not read as drawn (bounced as unread)', async () => {
    const deep = Array.from({ length: 40 }).reduce<string>(
      (inner) => group(inner, '<a:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></a:xfrm>'),
      permuted(),
    );
    expect(await kit.outbound(pptx(slide(deep)))).toBe('BOUNCE');
  });
});

describe('A120-2 controls (sent)', () => {
  const controls: Record<string, Buffer> = {
    'a slide of a title, a KPI row and a footer with figures': pptx(
      slide(
        shape(2, 0, 'Q3 2026 results', 0) +
          shape(3, 0, 'Revenue 4.2m', 2 * INCH) +
          shape(4, 2 * INCH, 'Margin 18%', 2 * INCH) +
          shape(5, 4 * INCH, 'Orders 1488', 2 * INCH) +
          shape(6, 6 * INCH, 'Churn 2.1%', 2 * INCH) +
          shape(7, 0, 'Page 3 of 12', 7 * INCH),
      ),
    ),
    // Found while fixing: boxes on two lines read as one number across the line break. (Written in another order
    // here: written line by line, the slide's text alone reads them so, as before.)
    'a slide of KPI boxes on two lines': pptx(
      slide(
        shape(4, 0, '4935', 2 * INCH) +
          shape(5, 2 * INCH, '8169', 2 * INCH) +
          shape(2, 0, 'Orders 5910', INCH) +
          shape(3, 2 * INCH, '4788', INCH),
      ),
    ),
    'a slide of four-digit years on a timeline, drawn right to left': pptx(
      slide(['2026', '2025', '2024', '2023'].map((g, i) => shape(i + 2, (3 - i) * 2 * INCH, g)).join('')),
    ),
    'an OpenDocument slide of a title and figures': odp(
      frame('1cm', 'Q3 2026', '1cm') + frame('1cm', 'Orders 1488', '4cm') + frame('8cm', 'Units 6467', '4cm'),
    ),
    'a letterhead with floating boxes for the phone number and the address': docx(
      `<w:p>${anchor(offset(0), textBox('Tel +49 30 1234 5678'), 1)}${anchor('<wp:align>right</wp:align>', textBox('Hauptstrasse 12, 10115 Berlin'), 2)}</w:p><w:p><w:r><w:t>Dear Ms Lee, thank you for order 4539.</w:t></w:r></w:p>`,
    ),
  };
  for (const [name, message] of Object.entries(controls)) {
    it(name, async () => {
      expect(await kit.outbound(message)).toBe('DEFAULT');
    });
  }
});
