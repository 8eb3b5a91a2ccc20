import { isSpace, NAME_CAP } from './markup-bytes.js';

/** Where an `<!ATTLIST>` declaration's attributes go: read as if written on the element. */
export interface AttributeSink {
  /** The element the declaration gives attributes (lower case). */
  element(name: string): void;
  /** An attribute's name (lower case). */
  attribute(name: string): void;
  valueStart(): void;
  value(c: number, lower: number): void;
  valueEnd(): void;
}

enum Expect {
  Element,
  Name,
  Type,
  Default,
  /** After `#FIXED`: the literal. */
  Fixed,
}

/**
 * Reads `<!ATTLIST svg onload CDATA "go()">` as an XML parser does: the default value is given to every such
 * element that does not write the attribute itself, so an `onload` or a `javascript:` URL can sit in the
 * DTD instead of the tag. Each attribute with a default is handed to the sink as if written on the element.
 * One pass, constant state.
 */
export class AttlistReader {
  private expect = Expect.Element;
  private token = '';
  private inToken = false;
  /** The quote of the literal being read, or `(` inside an enumeration, or 0. */
  private quote = 0;

  constructor(private readonly sink: AttributeSink) {}

  /** A declaration starts (`<!ATTLIST` was read); its bytes follow. */
  begin(): void {
    this.expect = Expect.Element;
    this.token = '';
    this.inToken = false;
    this.quote = 0;
  }

  /** The next byte of the declaration (as written, and in lower case). */
  byte(c: number, lower: number): void {
    if (this.quote === 0x28) {
      if (c === 0x29) this.quote = 0;
      return;
    }
    if (this.quote !== 0) {
      if (c === this.quote) {
        this.quote = 0;
        this.sink.valueEnd();
        this.expect = Expect.Name;
      } else this.sink.value(c, lower);
      return;
    }
    if (isSpace(c) || c === 0x28 || c === 0x22 || c === 0x27 || c === 0x3e) this.endToken();
    if (c === 0x28) {
      this.quote = c; // an enumeration: the attribute's type
      if (this.expect === Expect.Type) this.expect = Expect.Default;
    } else if (c === 0x22 || c === 0x27) {
      this.quote = c;
      this.sink.valueStart();
    } else if (!isSpace(c) && c !== 0x3e) {
      this.inToken = true;
      if (this.token.length < NAME_CAP) this.token += String.fromCharCode(lower);
    }
  }

  private endToken(): void {
    if (!this.inToken) return;
    const token = this.token;
    this.token = '';
    this.inToken = false;
    switch (this.expect) {
      case Expect.Element:
        this.sink.element(token);
        this.expect = Expect.Name;
        return;
      case Expect.Name:
        this.sink.attribute(token);
        this.expect = Expect.Type;
        return;
      case Expect.Type:
        if (token !== 'notation') this.expect = Expect.Default;
        return;
      case Expect.Default:
        this.expect = token === '#fixed' ? Expect.Fixed : Expect.Name;
        return;
      case Expect.Fixed:
        this.expect = Expect.Name;
        return;
    }
  }
}
