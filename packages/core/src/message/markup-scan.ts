import { cssTokenText, stringToken } from './css-tokens.js';
import { linkedSource } from './link-names.js';
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
/**
 * Attributes whose address is fetched as the page is shown (a picture, a stylesheet, a poster, a base for relative
 * ones): `href` and any `…:href` (`xlink:href`, VML's `o:href`) too, but on a link (`<a>`, `<area>`), followed on a click.
 */
const SOURCE_ATTRIBUTES = new Set([
  'src',
  'srcset',
  'imagesrcset',
  'lowsrc',
  'dynsrc',
  'background',
  'poster',
  'data',
  'codebase',
  'href',
]);
const CLICKED_LINKS = new Set(['a', 'area']);
/** The start of an address the scan keeps (a host sits near its start; one cut short counts as one). */
const SOURCE_CAP = 2048;
/** Style text read at once: a `style` attribute, or one `<style>` element (beyond it, the page is not read). */
const STYLE_CAP = 4 << 20;
/** References that write a character of an address (the rest are refused in a page: `HIDING_ENTITIES`). */
const ADDRESS_ENTITIES: Readonly<Record<string, string>> = {
  quot: '"',
  apos: "'",
  amp: '&',
  lt: '<',
  gt: '>',
  bsol: '\\',
  sol: '/',
  colon: ':',
  period: '.',
  commat: '@',
  percnt: '%',
  quest: '?',
  num: '#',
  lowbar: '_',
  tab: '\t',
  newline: '\n',
};

/**
 * The computer other than this one that an address in a page reaches over SMB or WebDAV as the page is shown
 * (`file://host/…`, `\\host\s\…`, and `//host/…`, which a page opened from the disk reads as `file://host/…`), as
 * a browser reads it (tabs and line breaks dropped, spaces and controls trimmed); undefined for a web address, a
 * relative or local one.
 */
export function sourceHost(address: string, shown = false): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the C0 controls a URL parser trims
  const url = address.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  // In a body, `//host/…` takes the message's own scheme (Google Calendar's invitations load their fonts so).
  if (url === '' || (shown && /^\/\/+[^/\\]/.test(url))) return undefined;
  return linkedSource(url).host;
}

/**
 * The first computer other than this one that a stylesheet's strings and `url()` addresses reach
 * ({@link sourceHost}), read as CSS reads them (escapes decoded, comments skipped), and `&…;` references decoded
 * first (an SVG's or XHTML's `<style>` is XML text). Linear in the text.
 */
export function styleHost(css: string, sheet: boolean, shown = false): string | undefined {
  const decoded = referencesDecoded(css);
  // Read twice: as a browser does (`\\\\host` is `\\host`), and with each backslash as written, as a client
  // whose style reader may know no escapes (`url(\\host\s\a.png)`): which one Outlook's Word engine is is not known.
  return (
    addressHost(cssTokenText(decoded, sheet), shown) ??
    (decoded.includes('\\')
      ? addressHost(cssTokenText(decoded.replaceAll('\\', '\\\\'), sheet), shown)
      : undefined)
  );
}

/** The first host of the strings in {@link cssTokenText}'s text. */
function addressHost(text: string, shown: boolean): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') {
      const string = stringToken(text, i);
      const host = sourceHost(string.value, shown);
      if (host !== undefined) return host;
      i = string.end - 1;
    }
  }
  return undefined;
}

/** `&#92;`, `&#x5c;` and the {@link ADDRESS_ENTITIES} as the characters they write; others as written. */
function referencesDecoded(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]{1,8}|#[0-9]{1,10}|[a-z]{1,16});?/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return ADDRESS_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Bytes of text kept up to a cap, in a buffer that grows (a string built a character at a time is slow). */
class TextBytes {
  private bytes = Buffer.alloc(0);
  private length = 0;

  clear(): void {
    this.length = 0;
  }

  /** Adds a byte, or a string's characters (a character past Latin-1 as `?`); false when past `cap`. */
  add(what: number | string, cap: number): boolean {
    const count = typeof what === 'number' ? 1 : what.length;
    if (this.length + count > cap) return false;
    if (this.length + count > this.bytes.length) {
      const grown = Buffer.alloc(Math.min(cap, Math.max(1024, (this.length + count) * 2)));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    if (typeof what === 'number') this.bytes[this.length++] = what;
    else
      for (let i = 0; i < what.length; i++) {
        const code = what.charCodeAt(i);
        this.bytes[this.length++] = code > 0xff ? 0x3f : code;
      }
    return true;
  }

  text(): string {
    return this.bytes.toString('latin1', 0, this.length);
  }
}

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
  /** The scans the {@link jis} readings feed. */
  private readonly jisScans: MarkupScan[] = [];
  /** The value read so far as an address (a source attribute's or a `style` attribute's), when it is one. */
  private readonly source = new TextBytes();
  private sourceOn = false;
  /** A `<style>` element's bytes so far. */
  private readonly style = new TextBytes();
  /** Only what makes Windows sign in to another computer as the page is shown counts: an HTML body in a client. */
  private readonly shown: boolean;
  /**
   * An address on another computer (or style text too long to read): it counts after what makes the page active,
   * which names the cause better; in a body ({@link shown}) it is all that counts.
   */
  protected late: string | undefined;

  /**
   * @param unreadable Why the file cannot be read at all, when that is known from its name.
   * @param decoded The scan reads an ISO-2022-JP decoding already (no third reading).
   */
  constructor(unreadable?: string, decoded = false, shown = false) {
    super();
    this.found = unreadable;
    this.shown = shown;
    this.readsAsShown = shown;
    if (unreadable !== undefined || decoded || shown) return;
    const Kind = this.constructor as new (unreadable?: string, decoded?: boolean) => MarkupScan;
    this.jisScans = [new Kind(undefined, true), new Kind(undefined, true)];
    this.jis = [
      new JisReading(this.jisScans[0] as MarkupScan),
      new JisReading(this.jisScans[1] as MarkupScan, 'joining'),
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
    const note = ', once decoded as ISO-2022-JP (as a browser may)';
    const decoded = this.jis.map((reading) => reading.end());
    // What makes a reading active comes before any reading's address on another computer.
    const active = decoded.findIndex((d, i) => d !== undefined && d !== this.jisScans[i]?.late);
    if (active >= 0) return `${decoded[active]}${note}`;
    if (this.shown) return this.late;
    if (this.late !== undefined) this.report(this.late);
    if (this.found !== undefined) return this.found;
    const late = decoded.find((d) => d !== undefined);
    return late === undefined ? undefined : `${late}${note}`;
  }

  protected override report(reason: string, unreadable = false): void {
    // A body is shown without scripts, frames or forms: what makes a page active does not count there.
    if (!this.shown) super.report(reason, unreadable);
  }

  /** What counts after the rest ({@link late}); the scan reads on (an active page's cause comes first). */
  private reportLate(reason: string): void {
    this.late ??= reason;
  }

  protected onTag(element: string): void {
    if (!this.shown && ACTIVE_ELEMENTS.has(element)) this.report(`a <${element}> element`);
  }

  protected onAttribute(name: string): void {
    this.attributeName = name;
    if (!this.shown && name.length > 2 && name.startsWith('on')) this.report(`an ${name} attribute`);
  }

  protected onValueStart(): void {
    this.value = '';
    this.entity = undefined;
    this.dataValue = false;
    this.ring.clear();
    const name = this.attributeName;
    const source =
      name === 'style' ||
      ((SOURCE_ATTRIBUTES.has(name) || name.endsWith(':href') || name.endsWith(':src')) &&
        !((name === 'href' || name.endsWith(':href')) && CLICKED_LINKS.has(this.element)));
    this.sourceOn = source;
    this.source.clear();
  }

  protected onValue(c: number, lower: number): void {
    if (this.entity !== undefined) {
      if (c === 0x23 && this.entity === '') {
        // A client showing a body reads the reference; in a page, it is how a scheme is hidden.
        if (this.shown) this.entity = '#';
        else this.report('a numeric character reference inside an attribute');
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
    if (this.sourceOn && c !== 0x26) this.addSource(c);
    if (this.shown) {
      if (c === 0x26) this.entity = '';
      return;
    }
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
    this.checkSource();
    if (this.shown || this.found !== undefined) return;
    if (this.dataValue && this.dataLink())
      this.report('a data: link (a file carried in the page, saved by a click)');
    const value = this.value.trim();
    if (this.element === 'meta' && value === 'refresh') this.report('a <meta> refresh');
    // Animating an event handler attribute sets a script (current browsers refuse it; older ones ran it).
    const target = value.slice(value.lastIndexOf(':') + 1);
    if (this.attributeName === 'attributename' && ANIMATIONS.has(this.element) && target.startsWith('on'))
      this.report(`an animation of the ${target} attribute`);
  }

  private addSource(text: number | string): void {
    if (!this.sourceOn) return;
    const style = this.attributeName === 'style';
    // An address cut at its cap still shows its host; style text cut is not read.
    if (!this.source.add(text, style ? STYLE_CAP : SOURCE_CAP) && style) {
      this.reportLate('a style attribute longer than the scan reads');
      this.sourceOn = false;
    }
  }

  /** The value ended: an address (every `srcset` candidate, every `url()` of a style) on another computer is refused. */
  private checkSource(): void {
    if (!this.sourceOn) return;
    this.sourceOn = false;
    const value = this.source.text();
    const host =
      this.attributeName === 'style'
        ? styleHost(value, false, this.shown)
        : this.attributeName.endsWith('srcset')
          ? value
              .split(/[\s,]+/)
              .map((candidate) => sourceHost(candidate, this.shown))
              .find((h) => h !== undefined)
          : sourceHost(value, this.shown);
    if (host !== undefined)
      this.reportHost(
        host,
        this.attributeName === 'style'
          ? `a stylesheet address (<${this.element} style>)`
          : `a source (<${this.element} ${this.attributeName}>)`,
      );
  }

  private reportHost(host: string, what: string): void {
    this.reportLate(
      `${what} on another computer (${host.slice(0, 64)}), which Windows signs in to as the user as the page is shown`,
    );
  }

  protected override onStyleText(c: number): void {
    if (this.found !== undefined) return;
    if (this.late === undefined && !this.style.add(c, STYLE_CAP))
      this.reportLate('a <style> element longer than the scan reads');
  }

  protected override onStyleEnd(): void {
    const text = this.style.text();
    this.style.clear();
    if (this.found !== undefined) return;
    const host = styleHost(text, true, this.shown);
    if (host !== undefined) this.reportHost(host, 'a stylesheet address (<style>)');
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
    if (name.startsWith('#')) {
      // Read only where a client shows the page (a page refuses the reference as it starts).
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      if (name.length > 1)
        this.addSource(code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd');
      return name.length > 1;
    }
    const written = ADDRESS_ENTITIES[name];
    if (this.shown) {
      this.addSource(written ?? `&${name}`);
      return written !== undefined;
    }
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
    else if (written !== undefined) {
      this.addSource(written);
      return true;
    } else this.addSource(`&${name}`);
    return false;
  }
}
