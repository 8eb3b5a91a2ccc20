import { asciiLower, isNameByte, isSpace, NAME_CAP, TailRing } from './markup-bytes.js';
import { JisReading } from './markup-jis.js';
import { MarkupTokenizer } from './markup-tokenizer.js';

/** Elements that run code, load other documents or send what the reader types. */
const ACTIVE_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'foreignobject',
  'handler',
  'listener',
  'portal',
  'fencedframe',
  '?xml-stylesheet',
]);
/** URL schemes in an attribute that run code or carry a page or a file of their own. */
const ACTIVE_SCHEMES = [
  'script:',
  'data:text/html',
  'data:text/xml',
  'data:text/xsl',
  'data:image/svg',
  'data:application/',
].map((text) => ({
  text,
  bytes: Buffer.from(text, 'latin1'),
}));
/**
 * Named references to ASCII punctuation and white space (HTML's list but for `&amp;`, `&lt;`, `&gt;`, `&quot;`,
 * `&apos;`, which plain text needs): how a URL's scheme or type is hidden (`javascript&colon;`, `data:text&sol;html`).
 */
const HIDING_ENTITIES = new Set(
  'tab newline excl num dollar percnt lpar rpar ast midast plus comma period sol colon semi equals quest commat lsqb lbrack bsol rsqb rbrack hat lowbar underbar grave diacriticalgrave fjlig lcub lbrace verbar vert verticalline rcub rbrace'.split(
    ' ',
  ),
);
const DATA = Buffer.from('data:', 'latin1');
/** How many bytes of declared entities' text the scan writes out into values (each reference up to 512). */
const ENTITY_BUDGET = 4 << 20;
/** Links whose `download` attribute saves what they point at: a `data:` URL is a file the page carries. */
const DOWNLOAD_LINKS = new Set(['a', 'area']);
/** SVG animation elements: `attributeName` names the attribute they set (`<set attributeName="onclick" to=…>`). */
const ANIMATIONS = new Set(['set', 'animate', 'animatetransform', 'animatemotion', 'animatecolor']);

/**
 * Reads an HTML or SVG file's decoded bytes as they pass, for what makes it a program rather than a
 * document once a browser opens it: an active element (`<script>`, `<iframe>`, `<object>`, `<embed>`, `<form>`,
 * SVG `<foreignObject>`…), an event handler attribute (`onload=`…), a `javascript:` (any `…script:`) or
 * `data:text/html` / `data:application/…` URL in an attribute, a numeric or `&colon;`-style entity inside an
 * attribute (how such a URL is hidden), a `meta` refresh. HTML smuggling needs one of these to assemble a
 * download in the browser. What the scan cannot read (NUL bytes, as UTF-16 text has; a compressed `.svgz`)
 * counts too: not knowing is not allowing. One pass, constant state, linear in the bytes.
 *
 * @example
 * ```ts
 * const scan = new MarkupScan();
 * scan.push(Buffer.from('<a href="x" onclick="go()">'));
 * scan.end(); // 'an onclick attribute'
 * ```
 */
export class MarkupScan extends MarkupTokenizer {
  private attributeName = '';
  private value = '';
  /** The reference being read inside a value (`&colon;`), or undefined outside one. */
  private entity: string | undefined;
  /** The value's last bytes (white space and controls left out). */
  private readonly ring = new TailRing(32);
  /** Whether the value is a `data:` URL. */
  private dataValue = false;
  /** What is left of {@link ENTITY_BUDGET}. */
  private entityBudget = ENTITY_BUDGET;

  /** The same bytes decoded as ISO-2022-JP, as browsers do and as older decoders did, each read by a scan of this kind. */
  private readonly jis: JisReading[] = [];

  /**
   * @param unreadable Why the file cannot be read at all, when that is known from its name.
   * @param decoded The scan reads an ISO-2022-JP decoding already (no third reading).
   */
  constructor(unreadable?: string, decoded = false) {
    super();
    this.found = unreadable;
    if (unreadable !== undefined || decoded) return;
    const Kind = this.constructor as new (unreadable?: string, decoded?: boolean) => MarkupScan;
    this.jis = [
      new JisReading(new Kind(undefined, true)),
      new JisReading(new Kind(undefined, true), 'joining'),
    ];
    this.escapesReadElsewhere = true;
  }

  override push(chunk: Uint8Array): void {
    super.push(chunk);
    if (this.found === undefined) for (const reading of this.jis) reading.push(chunk);
  }

  override end(): string | undefined {
    const own = super.end();
    if (own !== undefined) return own;
    for (const reading of this.jis) {
      const decoded = reading.end();
      if (decoded !== undefined) return `${decoded}, once decoded as ISO-2022-JP (as a browser may)`;
    }
    return undefined;
  }

  protected onTag(element: string): void {
    if (ACTIVE_ELEMENTS.has(element)) this.report(`a <${element}> element`);
  }

  protected onAttribute(name: string): void {
    this.attributeName = name;
    if (name.length > 2 && name.startsWith('on')) this.report(`an ${name} attribute`);
  }

  protected onValueStart(): void {
    this.value = '';
    this.entity = undefined;
    this.dataValue = false;
    this.ring.clear();
  }

  protected onValue(c: number, lower: number): void {
    if (this.entity !== undefined) {
      if (c === 0x23 && this.entity === '') {
        this.report('a numeric character reference inside an attribute');
        return;
      }
      // XML names also hold `.` and non-ASCII letters; a long name is read to its end, kept to its first bytes.
      if (isNameByte(lower) || c === 0x2e || c >= 0x80) {
        if (this.entity.length < NAME_CAP) this.entity += String.fromCharCode(lower);
        return;
      }
      const written = this.endEntity();
      if (this.found !== undefined || (written && c === 0x3b)) return;
    }
    this.readValueByte(c, lower);
  }

  /** A byte of the value as the browser reads it (a declared entity's text included). */
  private readValueByte(c: number, lower: number): void {
    // Leading white space does not count toward the cap (`http-equiv="<40 spaces>refresh"`).
    if (this.value.length < NAME_CAP && !(this.value === '' && isSpace(c)))
      this.value += String.fromCharCode(lower);
    if (c === 0x26) {
      this.entity = '';
      return;
    }
    // Browsers drop white space and control characters inside a URL's scheme ("java\tscript:").
    if (c <= 0x20) return;
    this.ring.add(lower);
    if (lower === 0x3a && this.ring.count === DATA.length && this.ring.endsWith(DATA)) this.dataValue = true;
    for (const scheme of ACTIVE_SCHEMES) {
      if (scheme.bytes[scheme.bytes.length - 1] === lower && this.ring.endsWith(scheme.bytes)) {
        this.report(`a ${scheme.text.endsWith('/') ? `${scheme.text}…` : scheme.text} URL in an attribute`);
        return;
      }
    }
  }

  protected onValueEnd(): void {
    if (this.entity !== undefined) this.endEntity();
    if (this.found !== undefined) return;
    if (this.dataValue && this.dataLink())
      this.report('a data: link (a file carried in the page, saved by a click)');
    const value = this.value.trim();
    if (this.element === 'meta' && value === 'refresh') this.report('a <meta> refresh');
    // Animating an event handler attribute sets a script (current browsers refuse it; older ones ran it).
    const target = value.slice(value.lastIndexOf(':') + 1);
    if (this.attributeName === 'attributename' && ANIMATIONS.has(this.element) && target.startsWith('on'))
      this.report(`an animation of the ${target} attribute`);
  }

  private dataLink(): boolean {
    return (
      DOWNLOAD_LINKS.has(this.element) &&
      (this.attributeName === 'href' || this.attributeName === 'xlink:href')
    );
  }

  /**
   * The reference ends: an entity the page declares is read as the XML parser writes it out (true), which
   * hides a scheme from a plain reading as a reference to punctuation does ("javascript&colon;").
   */
  private endEntity(): boolean {
    const name = this.entity ?? '';
    this.entity = undefined;
    const text = this.entityText(name);
    if (text === null)
      this.report(`an &${name}; inside an attribute, whose declared text the scan cannot read`);
    else if (text !== undefined) {
      this.entityBudget -= text.length;
      if (this.entityBudget < 0) this.report('more entity text in attribute values than the scan reads');
      if (this.value.endsWith('&')) this.value = this.value.slice(0, -1);
      for (let i = 0; i < text.length && this.found === undefined; i++) {
        const c = text.charCodeAt(i);
        this.readValueByte(c, asciiLower(c));
      }
      return true;
    } else if (HIDING_ENTITIES.has(name)) this.report(`an &${name}; inside an attribute`);
    return false;
  }
}
