import { zipFile } from '@wmflow/core/testing';

// Builders for Office documents the adversarial tests send: Word fields and Flat OPC parts.

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A .docx whose document body is `paragraphs`. */
export const docxOf = (paragraphs: string) =>
  zipFile([
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0"?><w:document xmlns:w="${W}"><w:body>${paragraphs}</w:body></w:document>`,
    },
  ]);

/** A complex field's delimiters and one of its code runs. */
export const fieldBegin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>';
export const fieldEnd = '<w:r><w:fldChar w:fldCharType="end"/></w:r>';
export const instrRun = (text: string) =>
  `<w:r><w:instrText xml:space="preserve">${text}</w:instrText></w:r>`;
/** A DDEAUTO field's code, as Word writes it (backslashes doubled). */
export const DDE_COMMAND = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"';

/** A Flat OPC part holding XML. */
export const flatXmlPart = (name: string, xml: string) =>
  `<pkg:part pkg:name="${name}" pkg:contentType="application/xml"><pkg:xmlData>${xml}</pkg:xmlData></pkg:part>`;
/** A Flat OPC part holding bytes, in base64 lines. */
export const flatBinaryPart = (name: string, bytes: Buffer) =>
  `<pkg:part pkg:name="${name}" pkg:contentType="application/vnd.openxmlformats-officedocument.oleObject" pkg:compression="store"><pkg:binaryData>${bytes
    .toString('base64')
    .replace(/.{76}/g, '$&\n')}</pkg:binaryData></pkg:part>`;
