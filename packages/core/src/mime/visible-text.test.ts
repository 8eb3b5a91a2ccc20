import { describe, expect, it } from 'vitest';
import { readVisibleText } from './visible-text.js';

async function read(message: string) {
  const texts: string[] = [];
  const report = await readVisibleText(Buffer.from(message.replace(/\n/g, '\r\n')), (text) => {
    texts.push(text);
    return undefined;
  });
  return { texts, unread: report.unread };
}

describe('readVisibleText: header words and text formats (attacker round 29)', () => {
  it('reports a header word or a file name in a charset it cannot decode as unread', async () => {
    const ebcdic = '=?ibm037?Q?=F4=F1=F1=F1?=';
    const { unread } = await read(
      `Subject: ${ebcdic}\nCc: ${ebcdic} <c@x.example>\nContent-Type: multipart/mixed; boundary=b\n\n--b\n` +
        `Content-Type: application/octet-stream\nContent-Disposition: attachment; filename*=cp037''%F4%F1\n\nAAAA\n--b--\n`,
    );
    expect(unread).toEqual([
      'Subject: charset ibm037 cannot be decoded',
      'Cc: charset ibm037 cannot be decoded',
      'Content-Disposition name: charset cp037 cannot be decoded',
    ]);
    expect((await read('Subject: =?iso-8859-1?Q?Caf=E9?=\n\nhi\n')).unread).toEqual([]);
  });

  it('reads a header word in a label only EBCDIC-free clients fall back on (unknown-8bit) as Latin-1, not unread', async () => {
    // Python's email package writes raw 8-bit header bytes as `unknown-8bit` (round 30's false positive).
    const { texts, unread } = await read(
      'Subject: =?unknown-8bit?q?R=E9union_4111_1111_1111_1111?=\nCc: =?x-user-defined?B?NDExMQ==?= <c@x.example>\n\nhi\n',
    );
    expect(unread).toEqual([]);
    expect(texts).toContain('Réunion 4111 1111 1111 1111');
    expect(texts.some((t) => t.includes('4111 <c@x.example>'))).toBe(true);
  });

  it('reads flowed text unwrapped, and enriched text without its parameters', async () => {
    const flowed = await read(
      'Content-Type: text/plain; format=flowed; delsp=yes\n\nCard: 41 \n11 \n1 \n111\nnext\n',
    );
    expect(flowed.texts).toContain('Card: 41111111\nnext');
    const enriched = await read('Content-Type: text/enriched\n\n4111<bold><param>x</param></bold> 1111\n');
    expect(enriched.texts).toContain('4111<bold></bold> 1111\r\n');
  });
});

describe('readVisibleText: an mbox is read as every message it holds (attacker round 35)', () => {
  const message = (subject: string, csv = '') =>
    `From a@corp.example Sun Nov 29 2026\nSubject: ${subject}\nMIME-Version: 1.0\n` +
    `Content-Type: multipart/mixed; boundary=z\n\n--z\nContent-Type: text/csv\nContent-Transfer-Encoding: base64\n\n` +
    `${Buffer.from(csv).toString('base64')}\n--z--\n`;
  const attached = (mbox: string) =>
    `Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/mbox; name="Export.mbox"\n` +
    `Content-Transfer-Encoding: base64\n\n${Buffer.from(mbox.replace(/\n/g, '\r\n')).toString('base64')}\n--b--\n`;

  it("decodes the later messages' attachments", async () => {
    const { texts, unread } = await read(attached(`${message('one', 'a,b')}\n${message('two', 'Bob,4111')}`));
    expect(unread).toEqual([]);
    expect(texts.some((t) => t.includes('Bob,4111'))).toBe(true);
  });

  it('reports an mbox of more messages than the part bound unread', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => message(`m${i}`)).join('\n');
    expect((await read(attached(many))).unread).toContain(
      'application/mbox "Export.mbox": an mbox of more than 1000 messages',
    );
  });
});

describe('readVisibleText: a large picture, recording or video', () => {
  const big = 12 * 1024 * 1024;
  const part = (type: string, name: string, file: Buffer) =>
    `Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b\n` +
    `Content-Type: ${type}; name="${name}"\nContent-Transfer-Encoding: base64\n\n` +
    `${file.toString('base64').replace(/.{76}/g, '$&\n')}\n--b--\n`;
  const jpeg = (exif: string) =>
    Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, exif.length + 2]),
      Buffer.from(exif, 'latin1'),
      Buffer.from([0xff, 0xda, 0, 2]),
      Buffer.alloc(big, 0x55),
    ]);
  it('skips one past the part bound whose bytes and names say it is only that, reading its tags', async () => {
    const { texts, unread } = await read(
      part('image/jpeg', 'photo.jpg', jpeg('Exif\0\0Card 4111 1111 1111 1111')),
    );
    expect(unread).toEqual([]);
    expect(texts.some((t) => t.includes('4111 1111 1111 1111'))).toBe(true);
  });
  it('reads the tags of one wherever they lie (a WAV whose INFO follows its samples)', async () => {
    const chunk = (id: string, data: Buffer) => {
      const size = Buffer.alloc(4);
      size.writeUInt32LE(data.length);
      return Buffer.concat([Buffer.from(id, 'latin1'), size, data]);
    };
    const body = Buffer.concat([
      Buffer.from('WAVE'),
      chunk('fmt ', Buffer.alloc(16)),
      chunk('data', Buffer.alloc(big)),
      chunk('LIST', Buffer.from('INFOINAM\x14\x00\x00\x004111 1111 1111 1111\x00', 'latin1')),
    ]);
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), body]);
    wav.writeUInt32LE(body.length, 4);
    const { texts, unread } = await read(part('audio/wav', 'memo.wav', wav));
    expect(unread).toEqual([]);
    expect(texts.some((t) => t.includes('4111 1111 1111 1111'))).toBe(true);
  });
  it('still refuses one a name opens as text, a program and data of no known format', async () => {
    for (const [type, name, file] of [
      ['image/jpeg', 'photo.txt', jpeg('Exif\0\0')],
      ['application/octet-stream', 'setup.bin', Buffer.concat([Buffer.from('MZ\x90\0'), Buffer.alloc(big)])],
      ['application/octet-stream', 'data.bin', Buffer.alloc(big, 0x01)],
    ] as const) {
      const { unread } = await read(part(type, name, file));
      expect(unread, name).toEqual([expect.stringMatching(/is over 10485760 bytes$/)]);
    }
  });
});

describe('readVisibleText: a Flat OpenDocument read as text (attacker round 55)', () => {
  const places = async (file: string, name: string) => {
    const seen: { html: boolean; xml: boolean }[] = [];
    const message =
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\n' +
      `Content-Disposition: attachment; filename="${name}"\r\n\r\n${file}\r\n--b--\r\n`;
    await readVisibleText(Buffer.from(message), (text, place) => {
      if (place.kind === 'body' && text.includes('office:value'))
        seen.push({ html: !!place.html, xml: !!place.xml });
      return undefined;
    });
    return seen;
  };
  const NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"';
  const cell =
    '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>';

  it('reads a .fods as written, as a page, and as an OpenDocument part (its cell values)', async () => {
    const fods = `<?xml version="1.0"?>\n<!-- x --><office:document ${NS}><office:body>${cell}</office:body></office:document>`;
    expect(await places(fods, 'cards.fods')).toEqual([
      { html: false, xml: false },
      { html: true, xml: false },
      { html: true, xml: true },
    ]);
  });
  it('reads other markup sent as text as before', async () => {
    expect(await places(`<html><body>${cell}</body></html>`, 'cards.dat')).toEqual([
      { html: false, xml: false },
      { html: true, xml: false },
    ]);
  });
});
