/** Elements whose text HTML does not read as tags (raw text), while an XML reader does. */
const RAW_TEXT = new Set(['style', 'textarea', 'title', 'xmp', 'noscript', 'noembed', 'noframes']);

/**
 * Watches for a comment or quoted value that runs past the end of a raw-text element
 * (`<style><x y='</style>…`): HTML ends the element there and reads what follows as tags, an XML reader does
 * not. Which one opens the file is not known, so the scan cannot decide: not knowing is not allowing.
 */
export class RawTextWatch {
  /** The end tag of the raw-text element the scan is in (`</style`), and how much of it was just read. */
  private end = '';
  private matched = 0;

  /** The end tag of the raw-text element being read (`</style`), or empty outside one. */
  get current(): string {
    return this.end;
  }

  /** A tag was read: `name` as written (`/style` for an end tag), `element` its local name. */
  tag(name: string, element: string): void {
    if (RAW_TEXT.has(element)) {
      this.end = `</${element}`;
      this.matched = 0;
    } else if (this.end !== '' && name === this.end.slice(1)) this.end = '';
  }

  /** A byte (lower case) inside a comment or quoted value: the problem, when it completes the end tag. */
  byte(lower: number): string | undefined {
    if (this.end === '') return undefined;
    const expected = this.end.charCodeAt(this.matched);
    this.matched = lower === expected ? this.matched + 1 : lower === 0x3c ? 1 : 0;
    if (this.matched < this.end.length) return undefined;
    return `a comment or quoted value that runs past ${this.end}>, which HTML and XML read differently`;
  }
}
