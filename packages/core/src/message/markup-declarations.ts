import { AttlistReader, type AttributeSink } from './markup-attlist.js';
import { EntityTable } from './markup-entities.js';

/** Declarations an XML reader reads as one, quoted literals and nested declarations included. */
const XML_DECLARATIONS = new Set(['!doctype', '!entity', '!attlist', '!element', '!notation']);
const SPLIT = 'which HTML ends at its first ">" and XML does not';

/**
 * Reads a declaration (`<!DOCTYPE …>`, `<!ENTITY …>`), processing instruction (`<?…?>`), CDATA section or bogus comment as
 * the HTML tokenizer does, ending it at the first `>`, and reports where an XML reader would still be inside
 * it there: a `>` in a quoted literal (`<!DOCTYPE x SYSTEM "><x y='">`), in a comment or PI nested in a
 * DOCTYPE's subset, markup in an entity's text. After a PI or CDATA section that HTML ended early (Word's
 * `<?xml:namespace … />` is one), it watches for the `?>` or `]]>` where XML ends it (SVG inside HTML reads
 * CDATA as XML does): the page is read apart only if the scan is then inside a quoted value or a comment. A
 * `]]>` right after a byte of 0x80 or more may be no end (a multi-byte charset's character ends in `]`).
 */
export class DeclarationReader {
  /** What makes HTML and XML read the page apart, once found. */
  problem: string | undefined;
  /** The entities the page declares, which an XML parser writes out in attribute values. */
  readonly entities = new EntityTable();
  private readonly attlist: AttlistReader;
  private attributes = false;
  private xml = false;
  private pi = false;
  private entity = false;
  private quote = 0;
  /** The start of a declaration nested in this one (`<!ENTITY`, `<!--`, `<?` in a DOCTYPE's subset). */
  private nested = '';
  /** A PI or CDATA section HTML ended at a `>` that XML reads on past, until its `?>` or `]]>`. */
  private open: '' | 'pi' | 'cdata' = '';

  /** @param sink Where the attribute defaults an `<!ATTLIST>` declares go, as if written on their element. */
  constructor(sink: AttributeSink) {
    this.attlist = new AttlistReader(sink);
  }

  /** The problem found since the last call, once. */
  take(): string | undefined {
    const problem = this.problem;
    this.problem = undefined;
    return problem;
  }

  /** A declaration starts: `name` is its lower-case name (`!doctype`, `?xml`, `/` for `</1…>`). */
  start(name: string): void {
    this.xml = XML_DECLARATIONS.has(name);
    this.entity = name === '!entity';
    if (this.entity) this.entities.begin();
    this.attributes = name === '!attlist';
    if (this.attributes) this.attlist.begin();
    this.pi = name.startsWith('?');
    if (name === '![') this.open = 'cdata';
    this.quote = 0;
    this.nested = '';
  }

  /** HTML ended a declaration right after its name (`<?pi>`), which XML reads on past if it is a PI. */
  endAfterName(name: string): void {
    if (name.startsWith('?')) this.open = 'pi';
  }

  /** The next byte inside the declaration (`tail`: the bytes before it); true when HTML ends it here. */
  byte(c: number, lower: number, tail: number): boolean {
    if (this.entity && (c === 0x3c || c === 0x26)) {
      // An XML entity whose text is markup puts that markup wherever `&name;` is written.
      this.problem ??= 'markup inside an entity declaration';
      return false;
    }
    if (this.entity) this.entities.byte(c);
    if (this.attributes) this.attlist.byte(c, lower);
    if (c === 0x3e) {
      const inComment = this.nested === '<!--' && (tail & 0xffff) !== 0x2d2d;
      const inPi = this.nested.startsWith('<?') && (tail & 0xff) !== 0x3f;
      if (this.quote !== 0 || inComment || inPi) this.problem ??= `a declaration ${SPLIT}`;
      if (this.pi && (tail & 0xff) !== 0x3f) this.open = 'pi';
      return true;
    }
    if (this.nested === '<!--' || this.nested.startsWith('<?')) return false;
    if (this.quote !== 0) {
      if (c === this.quote) this.quote = 0;
    } else if (this.xml && (c === 0x22 || c === 0x27)) this.quote = c;
    else if (c === 0x3c && this.xml) this.nested = '<';
    else if (this.nested !== '' && this.nested.length < 9) {
      this.nested += String.fromCharCode(lower);
      if (this.nested === '<!attlist') {
        this.attributes = this.xml = true;
        this.attlist.begin();
      }
      if (this.nested === '<!entity') {
        this.entity = this.xml = true;
        this.entities.begin();
      }
    }
    return false;
  }

  /** Any byte of the page: where XML ends what HTML ended early, the scan must not be inside a value. */
  watch(c: number, tail: number, inside: boolean): void {
    if (c !== 0x3e || this.open === '') return;
    const end = this.open === 'pi' ? (tail & 0xff) === 0x3f : (tail & 0xffff) === 0x5d5d;
    if (!end) return;
    if (inside)
      this.problem ??= this.open === 'pi' ? `a processing instruction ${SPLIT}` : `a CDATA section ${SPLIT}`;
    // Shift_JIS, Big5, GBK and gb18030 read `]` after a byte of 0x80 or more as half of one character
    // (`\x81]`): to them the section goes on, so the watch does too.
    if (this.open === 'pi' || tail >>> 16 < 0x80) this.open = '';
  }
}
