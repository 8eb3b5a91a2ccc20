import { nameVariants } from './file-names.js';
import type { MessagePart } from './part-walk.js';

/** Names a browser opens as a page (an SVG image opened from mail is a page too). */
const MARKUP_NAME = /\.(?:html?|xht(?:ml?)?|shtml?|svg)$/i;
/** Pages this scan cannot read: a compressed SVG, and MHT web archives (MIME, their HTML encoded inside). */
const UNREADABLE_MARKUP: readonly [RegExp, string][] = [
  [/\.svgz$/i, 'a compressed SVG, which the scan cannot read'],
  [/\.mht(?:ml)?$/i, 'an MHT web archive, whose encoded pages the scan cannot read'],
];
const MARKUP_TYPES = new Set(['text/html', 'application/xhtml+xml', 'image/svg+xml', 'message/rfc822+html']);
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
  '?xml-stylesheet',
]);
/** URL schemes in an attribute that run code or carry a page or a file of their own. */
const ACTIVE_SCHEMES = ['script:', 'data:text/html', 'data:image/svg', 'data:application/'].map((text) => ({
  text,
  bytes: Buffer.from(text, 'latin1'),
}));
/** Elements whose text HTML does not read as tags (raw text), while an XML reader does. */
const RAW_TEXT = new Set(['style', 'textarea', 'title', 'xmp', 'noscript', 'noembed', 'noframes']);
const RING = 32;
const NAME_CAP = 32;
const HIDING_ENTITIES = new Set(['colon', 'tab', 'newline']);

enum State {
  Text,
  TagName,
  Attributes,
  BeforeValue,
  Value,
  Entity,
  /** `<!-- … -->`: ends at `-->` or `--!>` as the HTML tokenizer ends it. */
  Comment,
  /** `<!…>`, `<?…>`, `</1…>`: a declaration or bogus comment, ended by the first `>`. */
  Bogus,
}

/**
 * The scan for a part that is a file a browser would open as a page: named `.html`, `.htm`, `.svg`, `.mht`…
 * (any type, the name read as a file system stores it), declared SVG (an SVG a client lists as a file), or
 * declared HTML or XHTML and named or attached (an unnamed inline HTML part is the message's body, which mail
 * clients render without scripts; `laterInMixed`, an unnamed HTML part after the first of a multipart/mixed, is no
 * body: Outlook lists it as an attachment, `ATT00001.htm`, and opens it in the browser); undefined otherwise.
 *
 * @example
 * ```ts
 * markupScanFor(part)?.push(decodedChunk);
 * ```
 */
export function markupScanFor(part: MessagePart, laterInMixed = false): MarkupScan | undefined {
  for (const name of part.names) {
    const scan = markupScanForName(name);
    if (scan) return scan;
  }
  const markup =
    part.contentType === 'image/svg+xml' ||
    (MARKUP_TYPES.has(part.contentType) &&
      (part.names.length > 0 || part.disposition === 'attachment' || laterInMixed));
  return markup ? new MarkupScan() : undefined;
}

/**
 * The scan for a file of this name when a browser opens it as a page (`.html`, `.htm`, `.svg`…; a `.svgz` or
 * `.mht`, which it cannot read, already holds its finding); undefined for any other name.
 *
 * @example
 * ```ts
 * markupScanForName('invoice.html.'); // a MarkupScan (Windows drops the trailing dot)
 * ```
 */
export function markupScanForName(name: string): MarkupScan | undefined {
  const variants = nameVariants(name);
  for (const [pattern, reason] of UNREADABLE_MARKUP) {
    if (variants.some((variant) => pattern.test(variant))) return new MarkupScan(reason);
  }
  return variants.some((variant) => MARKUP_NAME.test(variant)) ? new MarkupScan() : undefined;
}

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
export class MarkupScan {
  private state = State.Text;
  private name = '';
  private element = '';
  private attribute = '';
  private nameEnded = false;
  private value = '';
  private quote = 0;
  private entity = '';
  /** The value's last bytes (white space and controls left out), as a ring. */
  private readonly ring = new Uint8Array(RING);
  private filled = 0;
  private found: string | undefined;
  /** The last three bytes (lower case), for the ends of comments and CDATA sections. */
  private tail = 0;
  private commentBytes = 0;
  /** Inside a declaration: the start of a declaration nested in it (`<!ENTITY` in a DOCTYPE's subset). */
  private decl = '';
  /** The end tag of the raw-text element the scan is in (`</style`), and how much of it was just read. */
  private raw = '';
  private rawMatched = 0;
  /** Inside a CDATA section: quotes open no attribute value (an XML reader sees text there, HTML tags). */
  private blind = false;

  /** @param unreadable Why the file cannot be read at all, when that is known from its name. */
  constructor(unreadable?: string) {
    this.found = unreadable;
  }

  /** The next decoded bytes of the file. */
  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length && this.found === undefined; i++) this.byte(chunk[i] as number);
  }

  /** What makes the file active, or undefined when nothing does. */
  end(): string | undefined {
    if (this.found === undefined && this.state === State.TagName) this.closeName();
    return this.found;
  }

  private byte(c: number): void {
    if (c === 0) {
      this.found = 'NUL bytes (UTF-16 or binary), which the scan cannot read';
      return;
    }
    const lower = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    const tail = this.tail;
    this.tail = ((this.tail << 8) | lower) & 0xffffff;
    // `]]>` ends a CDATA section (XML, or SVG inside HTML): its text was read quote-blind.
    if (this.blind && c === 0x3e && (tail & 0xffff) === 0x5d5d) {
      this.blind = false;
      this.state = State.Text;
      return;
    }
    switch (this.state) {
      case State.Text:
        if (c === 0x3c) this.startTag();
        return;
      case State.Comment:
        this.rawEnd(lower);
        // `-->`, `--!>`, and the abrupt `<!-->` and `<!--->`.
        if (
          c === 0x3e &&
          ((tail & 0xffff) === 0x2d2d ||
            (tail & 0xffffff) === 0x2d2d21 ||
            this.commentBytes === 0 ||
            (this.commentBytes === 1 && (tail & 0xff) === 0x2d))
        )
          this.state = State.Text;
        this.commentBytes++;
        return;
      case State.Bogus:
        if (c === 0x3e) this.state = State.Text;
        else if (this.element === '!entity' && (c === 0x3c || c === 0x26))
          // An XML entity whose text is markup puts that markup wherever `&name;` is written.
          this.found = 'markup inside an entity declaration';
        else if (c === 0x3c) this.decl = '<';
        else if (this.decl !== '' && this.decl.length < 8) {
          // `<!DOCTYPE svg [<!ENTITY …`: an XML reader reads the declarations inside, HTML ends at the first `>`.
          this.decl += String.fromCharCode(lower);
          if (this.decl === '<!entity') this.element = '!entity';
        }
        return;
      case State.TagName:
        if (this.name === '' && !isLetter(lower) && c !== 0x3f && c !== 0x21 && c !== 0x2f) {
          // `a < b`, `<3`: a browser reads a `<` not followed by a letter (or `/`, `!`, `?`) as text.
          if (c !== 0x3c) this.state = State.Text;
          return;
        }
        if (this.name === '!' && c === 0x5b) {
          // `<![CDATA[`: text to an XML reader, a bogus comment to HTML; read quote-blind until `]]>`.
          this.blind = true;
          this.state = State.Text;
          return;
        }
        if (this.name === '/' && !isLetter(lower)) {
          this.element = '';
          this.decl = '';
          this.state = State.Bogus;
          return;
        }
        if (isNameByte(lower) || (this.name === '' && (c === 0x3f || c === 0x21 || c === 0x2f))) {
          if (this.name.length < NAME_CAP) this.name += String.fromCharCode(lower);
          if (this.name === '!--') {
            this.state = State.Comment;
            this.commentBytes = 0;
          }
          return;
        }
        this.closeName();
        if (this.found !== undefined) return;
        if (c === 0x3c) {
          this.name = '';
          return;
        }
        if (this.name.startsWith('!') || this.name.startsWith('?')) {
          this.state = c === 0x3e ? State.Text : State.Bogus;
          this.decl = '';
          if (this.element === '!entity' && c === 0x3c) this.found = 'markup inside an entity declaration';
          return;
        }
        this.state = c === 0x3e ? State.Text : State.Attributes;
        this.attribute = '';
        this.nameEnded = false;
        return;
      case State.Attributes:
        if (c === 0x3e) this.state = State.Text;
        else if (c === 0x3d) this.equals();
        else if (isNameByte(lower)) {
          // White space between a name and its `=` keeps the name; a name after it starts a new one.
          if (this.nameEnded) this.attribute = '';
          this.nameEnded = false;
          if (this.attribute.length < NAME_CAP) this.attribute += String.fromCharCode(lower);
        } else if (isSpace(c)) this.nameEnded = true;
        else this.attribute = '';
        return;
      case State.BeforeValue:
        if (isSpace(c)) return;
        if (c === 0x3e) this.state = State.Text;
        else if ((c === 0x22 || c === 0x27) && !this.blind) this.startValue(c);
        else {
          this.startValue(0);
          this.valueByte(c, lower);
        }
        return;
      case State.Value:
      case State.Entity:
        this.rawEnd(lower);
        this.valueByte(c, lower);
        return;
    }
  }

  private startTag(): void {
    this.state = State.TagName;
    this.name = '';
  }

  private closeName(): void {
    // `svg:script`, `html:iframe`: in an XML document a prefix names the namespace, not another element.
    this.element = this.name.startsWith('/') ? '' : this.name.slice(this.name.lastIndexOf(':') + 1);
    if (ACTIVE_ELEMENTS.has(this.element)) this.found = `a <${this.element}> element`;
    if (RAW_TEXT.has(this.element)) {
      this.raw = `</${this.element}`;
      this.rawMatched = 0;
    } else if (this.raw !== '' && this.name === this.raw.slice(1)) this.raw = '';
  }

  /**
   * A comment or quoted value that runs past the end of a raw-text element (`<style><x y='</style>…`): HTML
   * ends the element there and reads what follows as tags, an XML reader does not. Which one opens the file
   * is not known, so the scan cannot decide: not knowing is not allowing.
   */
  private rawEnd(lower: number): void {
    if (this.raw === '') return;
    const expected = this.raw.charCodeAt(this.rawMatched);
    this.rawMatched = lower === expected ? this.rawMatched + 1 : lower === 0x3c ? 1 : 0;
    if (this.rawMatched === this.raw.length)
      this.found = `a comment or quoted value that runs past ${this.raw}>, which HTML and XML read differently`;
  }

  private equals(): void {
    const name = this.attribute;
    if (name.length > 2 && name.startsWith('on')) this.found = `an ${name} attribute`;
    this.state = State.BeforeValue;
  }

  private startValue(quote: number): void {
    this.state = State.Value;
    this.quote = quote;
    this.value = '';
    this.filled = 0;
  }

  private valueByte(c: number, lower: number): void {
    if (this.state === State.Entity) {
      if (c === 0x23 && this.entity === '') {
        this.found = 'a numeric character reference inside an attribute';
        return;
      }
      if (isNameByte(lower) && this.entity.length < NAME_CAP) {
        this.entity += String.fromCharCode(lower);
        return;
      }
      // How a scheme's colon or a break inside it is hidden from a plain reading ("javascript&colon;").
      if (HIDING_ENTITIES.has(this.entity)) {
        this.found = `an &${this.entity}; inside an attribute`;
        return;
      }
      this.state = State.Value;
    }
    const closes = this.quote === 0 ? isSpace(c) || c === 0x3e : c === this.quote;
    if (closes) {
      if (this.element === 'meta' && this.value.trim() === 'refresh') this.found = 'a <meta> refresh';
      this.state = c === 0x3e ? State.Text : State.Attributes;
      this.attribute = '';
      this.nameEnded = false;
      return;
    }
    if (this.value.length < NAME_CAP) this.value += String.fromCharCode(lower);
    if (c === 0x26) {
      this.state = State.Entity;
      this.entity = '';
      return;
    }
    // Browsers drop white space and control characters inside a URL's scheme ("java\tscript:").
    if (c <= 0x20) return;
    this.ring[this.filled % RING] = lower;
    this.filled++;
    for (const scheme of ACTIVE_SCHEMES) {
      if (scheme.bytes[scheme.bytes.length - 1] === lower && this.endsWith(scheme.bytes)) {
        this.found = `a ${scheme.text.endsWith('/') ? `${scheme.text}…` : scheme.text} URL in an attribute`;
        return;
      }
    }
  }

  private endsWith(bytes: Uint8Array): boolean {
    if (this.filled < bytes.length) return false;
    for (let i = 1; i <= bytes.length; i++) {
      if (this.ring[(this.filled - i) % RING] !== bytes[bytes.length - i]) return false;
    }
    return true;
  }
}

function isNameByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x3a || c === 0x5f;
}

function isLetter(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;
}
