import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A73-4: an XPS page (`.fpage`, or a page part under any name its FixedDocument points to) draws each `Glyphs`
// element's characters from `UnicodeString`, or, when that is left out, from `Indices`: glyph numbers of the embedded
// font. A card drawn by glyph index alone (`Indices="23;20;20;20;…"`) shows in the XPS viewer and was sent, the DLP
// finding no text. As a PDF font without a ToUnicode map is, such a page is now unread, so refused.
const stack = useLocalStack();
const kit = attackerKit(stack);
const page = (glyphs: string) =>
  `<FixedPage xmlns="http://schemas.microsoft.com/xps/2005/06" Width="816" Height="1056" xml:lang="en-US">${glyphs}</FixedPage>`;
const glyph = (attributes: string) =>
  `<Glyphs OriginX="96" OriginY="96" FontRenderingEmSize="12" FontUri="/Resources/f.odttf" Fill="#ff000000" ${attributes} />`;
const xps = (name: string, fpage: string | Buffer) =>
  zipFile([
    {
      name: '[Content_Types].xml',
      data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    },
    {
      name: 'FixedDocSeq.fdseq',
      data: '<FixedDocumentSequence><DocumentReference Source="Documents/1/FixedDoc.fdoc"/></FixedDocumentSequence>',
    },
    {
      name: 'Documents/1/FixedDoc.fdoc',
      data: `<FixedDocument><PageContent Source="${name}"/></FixedDocument>`,
    },
    { name, data: fpage },
  ]);
const INDICES = 'Indices="23;20;20;20;3;20;20;20;20;3;20;20;20;20;3;20;20;20;20"';

describe('A73-4: a card drawn by glyph index in an XPS page', () => {
  it('refuses an .xps page whose Glyphs have Indices and no UnicodeString', async () => {
    expect(
      await kit.outbound(
        outboundFile('statement.xps', xps('Documents/1/Pages/1.fpage', page(glyph(INDICES)))),
      ),
    ).toBe('BOUNCE');
  });
  it('refuses it in an .oxps, a page part under another name, an empty UnicodeString, and in UTF-16', async () => {
    const oxps = page(glyph(INDICES)).replace(
      'schemas.microsoft.com/xps/2005/06',
      'schemas.openxps.org/oxps/v1.0',
    );
    expect(await kit.outbound(outboundFile('statement.oxps', xps('Documents/1/Pages/1.fpage', oxps)))).toBe(
      'BOUNCE',
    );
    expect(await kit.outbound(outboundFile('statement.xps', xps('p/page1.xml', page(glyph(INDICES)))))).toBe(
      'BOUNCE',
    );
    expect(
      await kit.outbound(
        outboundFile('s.xps', xps('Documents/1/Pages/1.fpage', page(glyph(`UnicodeString="" ${INDICES}`)))),
      ),
    ).toBe('BOUNCE');
    const utf16 = Buffer.from(`\ufeff${page(glyph(INDICES))}`, 'utf16le');
    expect(await kit.outbound(outboundFile('s.xps', xps('Documents/1/Pages/1.fpage', utf16)))).toBe('BOUNCE');
  });

  describe('controls', () => {
    it('an XPS page whose Glyphs carry their UnicodeString (with Indices for spacing) is delivered', async () => {
      const text = page(
        glyph('UnicodeString="Quarterly report, page 1" Indices=",55;,60"') +
          glyph('UnicodeString="Order 4111 shipped"'),
      );
      expect(await kit.outbound(outboundFile('report.xps', xps('Documents/1/Pages/1.fpage', text)))).toBe(
        'DEFAULT',
      );
    });
    it('an XPS page that draws only paths and images is delivered', async () => {
      const art = page(
        '<Path Data="M 0,0 L 100,100" Stroke="#ff000000"/><Canvas><Path Data="M 1,1 L 2,2"/></Canvas>',
      );
      expect(await kit.outbound(outboundFile('chart.xps', xps('Documents/1/Pages/1.fpage', art)))).toBe(
        'DEFAULT',
      );
    });
    it('a UnicodeString holding the card still bounces', async () => {
      const card = page(glyph('UnicodeString="4111 1111 1111 1111"'));
      expect(await kit.outbound(outboundFile('s.xps', xps('Documents/1/Pages/1.fpage', card)))).toBe(
        'BOUNCE',
      );
    });
  });
});
