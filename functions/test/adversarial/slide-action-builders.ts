import { createHash, randomBytes } from 'node:crypto';
import { compoundFile, zipFile } from '@wmflow/core/testing';
import { u32 } from './ole-link-builders.js';

// Builders for attacker rounds 53 (A53-5) and 54 (A54-1, A54-5): slide actions in an OpenDocument presentation (.odp),
// its flat form (.fodp, .fodt), and in a PowerPoint 97-2003 show (.pps), encrypted or not.

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

/**
 * A Flat OpenDocument (`office:document` root, the `mimetype` of the zipped form as an attribute): `scripts` is
 * document-level `office:scripts` content, `body` the `office:body` content.
 */
export function flatOdf(mimetype: string, body: string, scripts = ''): Buffer {
  const listeners = scripts
    ? `<office:scripts><office:event-listeners>${scripts}</office:event-listeners></office:scripts>`
    : '';
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<office:document ${ODF_NAMESPACES} office:version="1.2" office:mimetype="${mimetype}">${listeners}<office:body>${body}</office:body></office:document>`,
  );
}

/** A Flat OpenDocument presentation (.fodp) whose one frame has the given event listeners. */
export const fodpWith = (listeners: string) =>
  flatOdf(
    ODP,
    `<office:presentation><draw:page draw:name="page1"><draw:frame svg:x="0cm" svg:y="0cm" svg:width="28cm" svg:height="21cm"><draw:text-box><text:p>Click to view the invoice</text:p></draw:text-box><office:event-listeners>${listeners}</office:event-listeners></draw:frame></draw:page></office:presentation>`,
  );

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
export function ppsWith(options: PpsOptions): Buffer {
  const user = Buffer.concat([u32(20), u32(0xe391c05f), u32(0), Buffer.alloc(8)]);
  return compoundFile([
    ['PowerPoint Document', pptRecords(options)],
    ['Current User', rec(0x0ff6, user)],
  ]);
}

function pptRecords({ action, target, hover = false, junk = Buffer.alloc(0) }: PpsOptions): Buffer {
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
  return Buffer.concat([doc, junk, slide]);
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  const swap = (i: number, j: number) => {
    const t = s[i] as number;
    s[i] = s[j] as number;
    s[j] = t;
  };
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 255;
    swap(i, j);
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + (s[i] as number)) & 255;
    swap(i, j);
    out[k] = (data[k] as number) ^ (s[((s[i] as number) + (s[j] as number)) & 255] as number);
  }
  return out;
}

/** Which marks of its encryption an encrypted show carries (MS-PPT 2.3.7); all by default. */
export interface EncryptedPpsOptions extends PpsOptions {
  /** The CurrentUserAtom's headerToken says encrypted (0xF3D1C4DF). */
  token?: boolean;
  /** An EncryptedSummary stream. */
  summary?: boolean;
}

/**
 * The show of {@link ppsWith}, its records RC4 CryptoAPI-encrypted with the key of PowerPoint's built-in password
 * "/01Hannes Ruescher/01" (MS-OFFCRYPTO 2.3.5.2), followed by its CryptSession10Container (version 2.2).
 */
export function encryptedPpsWith({ token = true, summary = true, ...options }: EncryptedPpsOptions): Buffer {
  const salt = randomBytes(16);
  const h0 = createHash('sha1')
    .update(Buffer.concat([salt, Buffer.from('/01Hannes Ruescher/01', 'utf16le')]))
    .digest();
  const key = (block: number) =>
    createHash('sha1')
      .update(Buffer.concat([h0, u32(block)]))
      .digest()
      .subarray(0, 16);
  const body = rc4(key(1), pptRecords(options));
  const csp = Buffer.from('Microsoft Enhanced Cryptographic Provider v1.0\0', 'utf16le');
  const header = Buffer.concat([
    u32(0x04),
    u32(0),
    u32(0x6801),
    u32(0x8004),
    u32(128),
    u32(1),
    u32(0),
    u32(0),
    csp,
  ]);
  const verifier = randomBytes(16);
  const sealed = rc4(key(0), Buffer.concat([verifier, createHash('sha1').update(verifier).digest()]));
  const info = Buffer.concat([
    Buffer.from([2, 0, 2, 0]),
    u32(0x04),
    u32(header.length),
    header,
    u32(16),
    salt,
    sealed.subarray(0, 16),
    u32(20),
    sealed.subarray(16),
  ]);
  const user = Buffer.concat([
    u32(20),
    u32(token ? 0xf3d1c4df : 0xe391c05f),
    u32(body.length),
    Buffer.alloc(8),
  ]);
  return compoundFile([
    ['PowerPoint Document', Buffer.concat([body, rec(0x2f14, info, 0xf)])],
    ['Current User', rec(0x0ff6, user)],
    ...(summary ? ([['EncryptedSummary', randomBytes(64)]] as [string, Buffer][]) : []),
  ]);
}
