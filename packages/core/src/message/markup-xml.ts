import { asciiLower, TailRing } from './markup-bytes.js';
import { MarkupScan } from './markup-scan.js';

/** Namespaces whose elements a browser runs as a page in any XML document, their DTDs' public ids, `<!ATTLIST`. */
const PAGE_SIGNS = [
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1998/math/mathml',
  '<!attlist',
  '//dtd xhtml',
  '//dtd svg',
].map((text) => Buffer.from(text, 'latin1'));
/** Root elements a browser renders as a page (with or without their namespace, to err on the side of finding). */
const PAGE_ROOTS = new Set(['html', 'svg', 'math']);

/**
 * The page scan for an `.xml` file: a browser opening one renders it as a page, running its scripts, when it
 * holds XHTML, SVG or MathML elements or an `<?xml-stylesheet?>` (an XSLT turning it into HTML); otherwise it
 * shows a data tree, and the file's `<form>` or `<object>` elements are data. So what the scan finds counts only
 * when the file is a page: its root element is `html`, `svg` or `math` (any prefix), it names the XHTML, SVG or
 * MathML namespace anywhere (even in its DTD) or the XHTML or SVG DTD, writes a namespace with a reference (`xmlns="&ns;"`, which the
 * scan cannot resolve), declares attribute defaults (`<!ATTLIST`, which can set a namespace unseen), or has an
 * `<?xml-stylesheet?>`. What keeps the scan from reading the file at all (NUL bytes) counts always.
 *
 * @example
 * ```ts
 * const scan = new XmlPageScan();
 * scan.push(Buffer.from('<invoice><form>A1</form></invoice>'));
 * scan.end(); // undefined: data, not a page
 * ```
 */
export class XmlPageScan extends MarkupScan {
  private page = false;
  /** The first finding, held until the file shows it is a page. */
  private pending: string | undefined;
  private rooted = false;
  private namespaceValue = false;
  private readonly recent = new TailRing(40);

  override push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length && !this.page; i++) {
      const c = chunk[i] as number;
      const lower = asciiLower(c);
      this.recent.add(lower);
      for (const sign of PAGE_SIGNS)
        if (sign[sign.length - 1] === lower && this.recent.endsWith(sign)) this.markPage();
    }
    super.push(chunk);
  }

  protected override report(reason: string, unreadable = false): void {
    if (this.page || unreadable) super.report(reason, unreadable);
    else this.pending ??= reason;
  }

  protected override onTag(element: string): void {
    if (element === '?xml-stylesheet') this.markPage();
    else if (!this.rooted && element !== '' && !element.startsWith('!') && !element.startsWith('?')) {
      this.rooted = true;
      if (PAGE_ROOTS.has(element)) this.markPage();
    }
    super.onTag(element);
  }

  protected override onAttribute(name: string): void {
    this.namespaceValue = name === 'xmlns' || name.startsWith('xmlns:');
    super.onAttribute(name);
  }

  protected override onValue(c: number, lower: number): void {
    if (this.namespaceValue && c === 0x26) this.markPage();
    super.onValue(c, lower);
  }

  private markPage(): void {
    this.page = true;
    if (this.pending !== undefined) super.report(this.pending);
  }
}
