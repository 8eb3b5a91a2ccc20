import { asciiLower, isSpace, NAME_CAP } from './markup-bytes.js';

/** How many entities a page may declare, and how long each text may be, before a reference is not read. */
const MAX_ENTITIES = 64;
const MAX_TEXT = 512;

enum Part {
  None,
  BeforeName,
  Name,
  BeforeText,
  Text,
}

/**
 * The general entities an XML page declares (`<!ENTITY js "javascript:go()">`), whose text the XML parser
 * writes wherever `&js;` stands, in an attribute value too: the page scan reads that text there. Names are kept
 * in lower case (the scan reads values so): an entity whose name another one shares but for case, whose text
 * is over 512 bytes, or declared past the 64th, cannot be told (`null`). Parameter (`%`) and external
 * (`SYSTEM`) entities are not kept: browsers write no external entity, and a parameter entity's text that
 * declares another holds `<`, which the scan refuses. Constant work per byte.
 */
export class EntityTable {
  private readonly texts = new Map<string, string | null>();
  private part = Part.None;
  private name = '';
  private text = '';
  private quote = 0;
  /** More were declared than are kept: any name not kept may be one of them. */
  private full = false;

  /** A declaration starts (`<!ENTITY` was read); its bytes follow. */
  begin(): void {
    this.part = Part.BeforeName;
    this.name = '';
    this.text = '';
  }

  /** The next byte of the declaration (as written). */
  byte(c: number): void {
    switch (this.part) {
      case Part.BeforeName:
        if (isSpace(c)) return;
        if (c === 0x25)
          this.part = Part.None; // `%`: a parameter entity
        else this.nameByte(c);
        return;
      case Part.Name:
        if (isSpace(c)) this.part = Part.BeforeText;
        else this.nameByte(c);
        return;
      case Part.BeforeText:
        if (isSpace(c)) return;
        if (c === 0x22 || c === 0x27) {
          this.quote = c;
          this.part = Part.Text;
        } else this.part = Part.None; // SYSTEM or PUBLIC: external
        return;
      case Part.Text:
        if (c === this.quote) {
          this.keep();
          this.part = Part.None;
        } else if (this.text.length <= MAX_TEXT) this.text += String.fromCharCode(c);
        return;
    }
  }

  /** The text of the entity named `name` (lower case), null when it cannot be told, undefined when undeclared. */
  lookup(name: string): string | null | undefined {
    const text = this.texts.get(name);
    return text === undefined && this.full ? null : text;
  }

  private nameByte(c: number): void {
    this.part = Part.Name;
    if (this.name.length < NAME_CAP) this.name += String.fromCharCode(asciiLower(c));
  }

  private keep(): void {
    const known = this.texts.get(this.name);
    if (known === undefined && this.texts.size >= MAX_ENTITIES) this.full = true;
    else if (known === undefined) this.texts.set(this.name, this.text.length > MAX_TEXT ? null : this.text);
    // XML keeps the first of two declarations of one name; two names apart only by case are not told apart.
    else if (known !== this.text) this.texts.set(this.name, null);
  }
}
