import { TNEF_SIGNATURE } from '../message/tnef-content.js';

/** One file of a {@link tnefStream}, as Outlook writes it into `winmail.dat`. */
export interface TnefFile {
  /** `attAttachTitle`: the short name (8-bit). */
  title?: string;
  /** `PidTagAttachLongFilename` in the attachment's property list (UTF-16). */
  longName?: string;
  /** `PidTagAttachExtension` in the property list, e.g. `.exe`. */
  extension?: string;
  /** `attAttachData`: the file's content (several: one attribute each, as a hostile writer may repeat it). */
  data?: Buffer | readonly Buffer[];
  /** `PidTagAttachDataBinary` in the property list: the content again, where a client may read it instead. */
  dataProperty?: Buffer;
  /** An attached message (`PidTagAttachDataObject` holding a TNEF stream) instead of a file. */
  message?: TnefFile[];
  /** `PidTagAttachMethod` (1: by value; 5: attached message; 6: OLE object). */
  method?: number;
  /** Another `attAttachment` written as given: a raw MAPI property list (its count first), for hostile framing. */
  rawProperties?: Buffer;
}

/** The message of a {@link tnefStream}: what its `attMsgProps` holds. */
export interface TnefMessage {
  /** PR_RTF_COMPRESSED (0x1009): the body as Outlook keeps it (see `compressedRtf`). */
  rtfCompressed?: Buffer;
}

const PT_LONG = 0x0003;
const PT_UNICODE = 0x001f;
const PT_OBJECT = 0x000d;
const PT_BINARY = 0x0102;
// IID_IMessage: the interface id an attached message's object value starts with.
const IID_IMESSAGE = Buffer.from('0703020000000000c000000000000046', 'hex');

/**
 * A TNEF stream (MS-OXTNEF, the `winmail.dat` of `application/ms-tnef`) holding `files`: for tests of what
 * the part walk finds inside one. Attributes are framed and checksummed as Outlook writes them.
 *
 * @example
 * ```ts
 * const winmail = tnefStream([{ title: 'INVOICE.EXE', longName: 'Invoice 2026.exe', data: Buffer.from('MZ') }]);
 * mimePart(
 *   ['Content-Type: application/ms-tnef; name="winmail.dat"', 'Content-Transfer-Encoding: base64'],
 *   winmail.toString('base64'),
 * );
 * ```
 */
export function tnefStream(files: readonly TnefFile[], message: TnefMessage = {}): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt32LE(TNEF_SIGNATURE, 0);
  head.writeUInt16LE(0x0001, 4); // legacy key
  const attributes: Buffer[] = [attribute(0x01, 0x00089006, Buffer.from([0, 0, 1, 0]))]; // attTnefVersion
  // attMsgProps: the message's MAPI properties (its compressed RTF body).
  if (message.rtfCompressed)
    attributes.push(
      attribute(0x01, 0x00069003, propertyList([variable(PT_BINARY, 0x1009, message.rtfCompressed)])),
    );
  for (const file of files) {
    attributes.push(attribute(0x02, 0x00069002, Buffer.alloc(14))); // attAttachRenddata: a new file
    if (file.title !== undefined)
      attributes.push(attribute(0x02, 0x00018010, Buffer.from(`${file.title}\0`, 'latin1')));
    for (const data of file.data === undefined ? [] : [file.data].flat())
      attributes.push(attribute(0x02, 0x0006800f, data));
    const properties: Buffer[] = [];
    if (file.longName !== undefined) properties.push(stringProperty(0x3707, file.longName));
    if (file.extension !== undefined) properties.push(stringProperty(0x3703, file.extension));
    if (file.method !== undefined) properties.push(longProperty(0x3705, file.method));
    if (file.dataProperty) properties.push(variable(PT_BINARY, 0x3701, file.dataProperty));
    if (file.message) {
      properties.push(longProperty(0x3705, 5));
      properties.push(objectProperty(0x3701, Buffer.concat([IID_IMESSAGE, tnefStream(file.message)])));
    }
    if (properties.length > 0) attributes.push(attribute(0x02, 0x00069005, propertyList(properties)));
    if (file.rawProperties) attributes.push(attribute(0x02, 0x00069005, file.rawProperties));
  }
  return Buffer.concat([head, ...attributes]);
}

function attribute(level: number, id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt8(level, 0);
  head.writeUInt32LE(id, 1);
  head.writeUInt32LE(data.length, 5);
  let sum = 0;
  for (const byte of data) sum = (sum + byte) & 0xffff;
  const checksum = Buffer.alloc(2);
  checksum.writeUInt16LE(sum, 0);
  return Buffer.concat([head, data, checksum]);
}

function propertyList(properties: Buffer[]): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32LE(properties.length, 0);
  return Buffer.concat([count, ...properties]);
}

function tag(type: number, id: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(type, 0);
  b.writeUInt16LE(id, 2);
  return b;
}

function longProperty(id: number, value: number): Buffer {
  const v = Buffer.alloc(4);
  v.writeUInt32LE(value, 0);
  return Buffer.concat([tag(PT_LONG, id), v]);
}

function variable(type: number, id: number, value: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(1, 0); // one value
  head.writeUInt32LE(value.length, 4);
  const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([tag(type, id), head, value, pad]);
}

function stringProperty(id: number, value: string): Buffer {
  return variable(PT_UNICODE, id, Buffer.from(`${value}\0`, 'utf16le'));
}

function objectProperty(id: number, value: Buffer): Buffer {
  return variable(PT_OBJECT, id, value);
}
