import { compoundFile, zipFile } from '@wmflow/core/testing';
import { u32 } from './ole-link-builders.js';

// Builders for attacker round 53 (A53-5): slide actions in an OpenDocument presentation (.odp) and in a
// PowerPoint 97-2003 show (.pps).

const ODP = 'application/vnd.oasis.opendocument.presentation';
const ODF_NAMESPACES = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"',
  'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
].join(' ');

/** A presentation:event-listener running `action` on `href` on click (Impress's interaction of a shape). */
export const presentationListener = (action: string, href: string) =>
  `<presentation:event-listener script:event-name="dom:click" presentation:action="${action}" xlink:href="${href}" xlink:type="simple" xlink:show="embed" xlink:actuate="onRequest"/>`;

/** An .odp whose one frame has the given event listeners (`office:event-listeners` content). */
export function odpWith(listeners: string, namespaces = ODF_NAMESPACES): Buffer {
  return zipFile([
    { name: 'mimetype', data: ODP, method: 0 },
    {
      name: 'META-INF/manifest.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="${ODP}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    },
    {
      name: 'content.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${namespaces} office:version="1.2"><office:body><office:presentation><draw:page draw:name="page1"><draw:frame svg:x="0cm" svg:y="0cm" svg:width="28cm" svg:height="21cm"><draw:text-box><text:p>Click to view the invoice</text:p></draw:text-box><office:event-listeners>${listeners}</office:event-listeners></draw:frame></draw:page></office:presentation></office:body></office:document-content>`,
    },
  ]);
}

// MS-PPT records: recVer (4 bits) and recInstance (12 bits), recType, recLen, then the body.
const rec = (type: number, body: Buffer, ver = 0, instance = 0) => {
  const h = Buffer.alloc(8);
  h.writeUInt16LE((instance << 4) | ver, 0);
  h.writeUInt16LE(type, 2);
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
};
const container = (type: number, children: Buffer[], instance = 0) =>
  rec(type, Buffer.concat(children), 0xf, instance);
const cstring = (s: string, instance: number) => rec(0x0fba, Buffer.from(s, 'utf16le'), 0, instance);

/** InteractiveInfoAction values (MS-PPT InteractiveInfoActionEnum): 1 macro, 2 run program, 3 jump, 4 hyperlink, 5 OLE verb. */
export const PPT_ACTION = { macro: 1, program: 2, jump: 3, hyperlink: 4, ole: 5 } as const;

export interface PpsOptions {
  /** The InteractiveInfoAtom's action byte. */
  action: number;
  /** What the action names: a hyperlink's target, and the program or macro (MacroNameAtom). */
  target: string;
  /** Whether a mouse-over container holds the same action as the click's. */
  hover?: boolean;
  /** Bytes between the document and the slide that a walk of the record sequence cannot frame. */
  junk?: Buffer;
}

/**
 * A PowerPoint 97 show (compound file, "PowerPoint Document" and "Current User" streams) with an ExHyperlink to
 * `target` and one shape whose click (and hover) action is `action`, its MacroNameAtom naming `target`.
 */
export function ppsWith({ action, target, hover = false, junk = Buffer.alloc(0) }: PpsOptions): Buffer {
  const hyperlink = container(0x0fd7, [rec(0x0fd3, u32(1)), cstring('Invoice', 0), cstring(target, 1)]);
  const exObjList = container(0x0409, [rec(0x040a, u32(1)), hyperlink]);
  // soundIdRef, exHyperlinkIdRef, action, oleVerb, jump, flags, hyperlinkType, unused.
  const info = Buffer.concat([u32(0), u32(1), Buffer.from([action, 0, 0, 0, 0xff, 0, 0, 0])]);
  const interactive = (instance: number) =>
    container(0x0ff2, [rec(0x0ff3, info), cstring(target, 2)], instance);
  const clientData = container(0xf011, hover ? [interactive(0), interactive(1)] : [interactive(0)]);
  const shape = container(0xf004, [rec(0xf00a, Buffer.concat([u32(1025), u32(0xa00)]), 2, 1), clientData]);
  const drawing = container(0x040c, [container(0xf002, [container(0xf003, [shape])])]);
  const slide = container(0x03ee, [rec(0x03ef, Buffer.alloc(24), 2), drawing]);
  const doc = container(0x03e8, [rec(0x03e9, Buffer.alloc(40), 1), exObjList]);
  const user = Buffer.concat([u32(20), u32(0xe391c05f), u32(0), Buffer.alloc(8)]);
  return compoundFile([
    ['PowerPoint Document', Buffer.concat([doc, junk, slide])],
    ['Current User', rec(0x0ff6, user)],
  ]);
}
