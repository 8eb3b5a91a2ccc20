import { describe, expect, it } from 'vitest';
import { mimeMessage, mimeMultipart, mimePart } from '../testing/mime.js';
import { pdfFile, pdfObjects } from '../testing/pdf.js';
import { zipFile } from '../testing/zip.js';
import { loadPdfReader, unpackText } from './packed-text.js';
import { pdfText } from './pdf-text.js';
import { ReadingDeadline, ReadingTimeUp, TIME_RAN_OUT } from './reading-deadline.js';
import { readVisibleText } from './visible-text.js';

const MB = 1024 * 1024;

// A deadline whose clock passes after `reads` readings of it (no real time: which step it passes at is chosen).
class Countdown extends ReadingDeadline {
  reads = 0;
  constructor(private readonly passesAfter: number) {
    super(0);
  }
  override passed(): boolean {
    return this.reads++ >= this.passesAfter;
  }
}

// Long pages: many values lexed (objects, content operators, the font's CMap), so the clock is read many times.
const lines = (page: number) =>
  Array.from({ length: 400 }, (_, i) => `Page ${page} line ${i}: nothing sensitive here`).join('\n');
const PAGES = [1, 2, 3, 4, 5, 6].map(lines);

describe('ReadingDeadline', () => {
  it('reads the clock every 1024th step, and throws ReadingTimeUp once it has passed', () => {
    const clock = new Countdown(0);
    for (let i = 0; i < 1023; i++) clock.step();
    expect(clock.reads).toBe(0);
    expect(() => clock.step()).toThrow(ReadingTimeUp);
    expect(clock.reads).toBe(1);
    expect(clock.expired).toBe(true);
    expect(() => new ReadingDeadline(Date.now() - 1).check()).toThrow(TIME_RAN_OUT);
    expect(() => new ReadingDeadline(Date.now() + 60_000).check()).not.toThrow();
    expect(new ReadingDeadline().passed()).toBe(false);
  });
});

describe('pdfText at a deadline', () => {
  // Wherever the deadline passes (scanning objects, an object stream, decrypting, a CMap, a page's content),
  // the PDF is unread with the reason: never a part of its text as if it were all of it.
  for (const [what, options] of [
    ['plain, Identity-H', {}],
    ['in an object stream', { objectStream: true }],
    ['encrypted, no user password', { userPassword: '' }],
    ['WinAnsi literal strings', { font: 'winansi' as const }],
  ] as const) {
    it(`${what}: read whole before the deadline, unread with the reason wherever it passes`, () => {
      const pdf = pdfFile(PAGES, options);
      const whole = pdfText(pdf, 10 * MB);
      expect(whole.unread).toBeUndefined();
      expect(whole.texts.join('\n')).toContain('Page 6 line 399');
      const counting = new Countdown(Number.POSITIVE_INFINITY);
      expect(pdfText(pdf, 10 * MB, counting)).toEqual(whole);
      const reads = counting.reads;
      expect(reads).toBeGreaterThan(3);
      for (let passesAfter = 0; passesAfter < reads; passesAfter++) {
        const read = pdfText(pdf, 10 * MB, new Countdown(passesAfter));
        expect(read, `clock passing at its reading ${passesAfter}`).toMatchObject({
          unread: TIME_RAN_OUT,
          encrypted: false,
          texts: [],
          files: [],
        });
      }
      expect(pdfText(pdf, 10 * MB, new Countdown(reads))).toEqual(whole);
    });
  }

  it('a zip of PDFs is unread past the deadline, whichever file it reaches it in', async () => {
    await loadPdfReader();
    const zip = zipFile([1, 2, 3].map((n) => ({ name: `statement-${n}.pdf`, data: pdfFile(PAGES) })));
    const counting = new Countdown(Number.POSITIVE_INFINITY);
    const whole = unpackText('zip', zip, 50 * MB, { deadline: counting });
    expect(whole.unread).toBeUndefined();
    for (let passesAfter = 0; passesAfter < counting.reads; passesAfter++) {
      const read = unpackText('zip', zip, 50 * MB, { deadline: new Countdown(passesAfter) });
      expect(read.unread, `clock passing at its reading ${passesAfter}`).toMatch(
        /^archive not read \((statement-[123]\.pdf: )?the time to read it ran out/,
      );
    }
  });
});

describe('readVisibleText at a deadline', () => {
  const message = (parts: string[]) =>
    Buffer.from(
      mimeMessage(
        mimeMultipart(
          'b',
          parts.map((text, i) => mimePart([`Content-Type: text/plain; name="part${i}.txt"`], text)),
        ),
      ),
    );

  it('reports the parts past the deadline unread, once, and reads every part before it', async () => {
    const read = async (deadline?: number) => {
      const bodies: string[] = [];
      const report = await readVisibleText(
        message(['first part', 'second part']),
        (text, place) => {
          if (place.kind === 'body') bodies.push(text);
          return undefined;
        },
        deadline === undefined ? {} : { deadline },
      );
      return { bodies, report };
    };
    const past = await read(Date.now() - 1);
    expect(past.bodies).toEqual([]);
    expect(past.report.unread).toEqual([`the rest of the message: ${TIME_RAN_OUT}`]);
    expect(past.report.stopped).toBe(true);
    for (const later of [undefined, Date.now() + 60_000]) {
      const all = await read(later);
      expect(all.bodies).toEqual(['first part', 'second part']);
      expect(all.report.unread).toEqual([]);
    }
  });
});

describe('pdfText at a deadline, a string spread glyph by glyph', () => {
  it('checks the clock for each glyph placed, though the string is one value lexed', () => {
    // One `Tj` of 5,000 glyphs under wide character spacing: placed one by one, far more steps than values.
    const content = `BT /F1 12 Tf 20 Tc 30 Tz 72 700 Td (${'a'.repeat(5000)}) Tj ET`;
    const pdf = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { body: '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>' },
      { body: '<< >>', stream: Buffer.from(content) },
      { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' },
    ]);
    const counting = new Countdown(Number.POSITIVE_INFINITY);
    expect(pdfText(pdf, MB, counting).unread).toBeUndefined();
    expect(counting.reads).toBeGreaterThanOrEqual(4);
    expect(pdfText(pdf, MB, new Countdown(1)).unread).toBe(TIME_RAN_OUT);
  });
});
