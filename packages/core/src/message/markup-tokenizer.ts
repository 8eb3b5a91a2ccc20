import { asciiLower, endsComment, isLetter, isNameByte, isSpace, NAME_CAP } from './markup-bytes.js';
import { DeclarationReader } from './markup-declarations.js';
import { RawTextWatch } from './markup-raw-text.js';

enum State {
  Text,
  TagName,
  Attributes,
  BeforeValue,
  Value,
  /** `<!-- … -->`: ends at `-->` or `--!>` as the HTML tokenizer ends it. */
  Comment,
  /** `<!…>`, `<?…>`, `</1…>`: a declaration or bogus comment, ended by the first `>`. */
  Bogus,
}

/**
 * Splits an HTML or XML file's bytes into tags, attributes and values the way a browser does where HTML and XML
 * agree, and reports (as unreadable) where they read the same bytes apart. What the tags mean is the business
 * of the subclass, told through the `on…` hooks. One pass, constant state, linear in the bytes.
 */
export abstract class MarkupTokenizer {
  /** What makes the file active or unreadable; the scan stops at the first. */
  protected found: string | undefined;
  /** The tag being read: its local name (an end tag's is empty), lower case. */
  protected element = '';
  private state = State.Text;
  private name = '';
  /** The tag name after its last `:` (a prefix may be longer than the name kept). */
  private local = '';
  private prefixed = false;
  /** The tag's name starts as only XML allows (`_`, a non-ASCII letter): HTML reads it as text. */
  private xmlOnly = false;
  private attribute = '';
  private nameEnded = false;
  /** An attribute's name was begun since the tag's name or the last value: `=` opens its value, not a name. */
  private named = false;
  private quote = 0;
  /** The last three bytes (lower case), for the ends of comments and CDATA sections. */
  private tail = 0;
  private commentBytes = 0;
  /** `<!ATTLIST>` defaults are read as attributes written on their element. */
  private readonly declarations = new DeclarationReader({
    element: (name) => {
      this.element = name;
    },
    attribute: (name) => this.onAttribute(name),
    valueStart: () => this.onValueStart(),
    value: (c, lower) => this.onValue(c, lower),
    valueEnd: () => this.onValueEnd(),
  });
  private readonly rawText = new RawTextWatch();
  /** Escape bytes are read as the control bytes they are: a second reading decodes the file as ISO-2022-JP. */
  protected escapesReadElsewhere = false;
  /**
   * Reads the file as a mail client shows it rather than as a browser runs it (an HTML body in Outlook): a comment's
   * inside is read as markup (Outlook's Word engine draws what `<!--[if mso]>` holds), NUL bytes are dropped (a
   * UTF-16 body's ASCII reads as ASCII) and ISO-2022-JP escape sequences are skipped, nothing of these refused.
   */
  protected readsAsShown = false;
  /** Inside a `<style>` element (its bytes go to {@link onStyleText}). */
  private inStyle = false;
  /** Where an escape sequence being skipped is ({@link readsAsShown}): 0 outside one. */
  private escape = 0;
  private escapeFirst = 0;

  /** The next decoded bytes of the file. */
  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length && this.found === undefined; i++) this.byte(chunk[i] as number);
  }

  /** What makes the file active, or undefined when nothing does. */
  end(): string | undefined {
    if (this.found === undefined && this.state === State.TagName) this.closeName();
    if (this.found === undefined && this.inStyle) {
      this.inStyle = false;
      this.onStyleEnd();
    }
    return this.found;
  }

  /** The text of the entity the page declares under `name` (lower case): null when it cannot be told. */
  protected entityText(name: string): string | null | undefined {
    return this.declarations.entities.lookup(name);
  }

  /** A start tag's local name was read (`svg:script` is `script`; an end tag's is empty). */
  protected abstract onTag(element: string): void;
  /** An attribute name was read up to its `=`. */
  protected abstract onAttribute(name: string): void;
  /** An attribute value starts. */
  protected abstract onValueStart(): void;
  /** A byte of an attribute value, as written and in lower case. */
  protected abstract onValue(c: number, lower: number): void;
  /** The attribute value ended. */
  protected abstract onValueEnd(): void;
  /** A byte inside a `<style>` element (its end tag's `</style` included), as written. */
  protected onStyleText(_c: number): void {}
  /** The `<style>` element ended (or the file did inside it). */
  protected onStyleEnd(): void {}

  /**
   * Records what makes the file active, or (`unreadable`) what keeps the scan from reading it at all.
   * @param reason What was found, for the log and the bounce note.
   * @param _unreadable Whether the bytes cannot be read as markup at all (NUL bytes), whatever the file is.
   */
  protected report(reason: string, _unreadable = false): void {
    this.found ??= reason;
  }

  private byte(c: number): void {
    if (this.readsAsShown && this.shownSkip(c)) return;
    if (c === 0) {
      this.report('NUL bytes (UTF-16 or binary), which the scan cannot read', true);
      return;
    }
    if (c === 0x1b && !this.escapesReadElsewhere) {
      // ISO-2022-JP, which browsers detect unasked: its escapes vanish when decoded (`<scr\x1b(Bipt>` is a script).
      // Only in a scan without a second reading that decodes them (MarkupScan has one: markup-jis.ts).
      this.report('escape bytes (ISO-2022-JP), which the scan cannot read', true);
      return;
    }
    const lower = asciiLower(c);
    const styling = this.rawText.current === '</style';
    if (styling) this.onStyleText(c);
    else if (this.inStyle) this.onStyleEnd();
    this.inStyle = styling;
    const tail = this.tail;
    this.tail = ((this.tail << 8) | lower) & 0xffffff;
    const inside = this.state === State.Comment || (this.state === State.Value && this.quote !== 0);
    this.declarations.watch(c, tail, inside);
    this.reportDeclarations();
    if (c === 0x3c && this.xmlOnly && this.inTag()) {
      // HTML read `<_`, `<é` as text: this `<` opens a tag.
      if (this.state === State.Value) this.onValueEnd();
      this.startTag();
      return;
    }
    switch (this.state) {
      case State.Text:
        if (c === 0x3c) this.startTag();
        return;
      case State.Comment:
        this.rawEnd(lower);
        if (endsComment(c, tail, this.commentBytes)) this.state = State.Text;
        this.commentBytes++;
        return;
      case State.Bogus:
        if (this.declarations.byte(c, lower, tail)) this.state = State.Text;
        this.reportDeclarations();
        return;
      case State.TagName:
        this.tagNameByte(c, lower);
        return;
      case State.Attributes:
        if (c === 0x3e) this.state = State.Text;
        else if (c === 0x3d && this.named) {
          this.onAttribute(this.attribute);
          this.state = State.BeforeValue;
        } else if (isNameByte(lower)) {
          // White space between a name and its `=` keeps the name; a name after it starts a new one.
          if (this.nameEnded) this.attribute = '';
          this.nameEnded = false;
          this.named = true;
          if (this.attribute.length < NAME_CAP) this.attribute += String.fromCharCode(lower);
        } else if (isSpace(c)) this.nameEnded = true;
        else {
          // A `=` where no name was begun starts one (`<a ='…'>` has an attribute named `='…'`); `/` ends one.
          this.attribute = '';
          this.named = c !== 0x2f;
        }
        return;
      case State.BeforeValue:
        if (isSpace(c)) return;
        if (c === 0x3e) this.state = State.Text;
        else if (c === 0x22 || c === 0x27) {
          if (this.xmlOnly)
            this.report('a quoted value in a tag only XML reads (`<_x`, `<é:x`), which HTML reads as text');
          this.startValue(c);
        } else {
          this.startValue(0);
          this.valueByte(c, lower);
        }
        return;
      case State.Value:
        this.rawEnd(lower);
        this.valueByte(c, lower);
        return;
    }
  }

  /** A byte {@link readsAsShown} drops: a NUL, or part of an ISO-2022-JP escape sequence (`ESC ( B`, `ESC $ ( D`). */
  private shownSkip(c: number): boolean {
    if (this.escape === 0) {
      if (c === 0x1b) this.escape = 1;
      return c === 0x1b || c === 0;
    }
    if (this.escape === 1) {
      this.escapeFirst = c;
      this.escape = 2;
    } else this.escape = this.escape === 2 && this.escapeFirst === 0x24 && c === 0x28 ? 3 : 0;
    return true;
  }

  private tagNameByte(c: number, lower: number): void {
    if (this.name === '' && !isLetter(lower) && c !== 0x3f && c !== 0x21 && c !== 0x2f) {
      // `<_x`, `<é:x`: a tag to an XML reader (names may start so), text to HTML.
      if (c === 0x5f || c >= 0x80) this.xmlOnly = true;
      else {
        // `a < b`, `<3`: a browser reads a `<` not followed by a letter (or `/`, `!`, `?`) as text.
        if (c !== 0x3c) this.state = State.Text;
        return;
      }
    }
    if (this.name === '!' && c === 0x5b) {
      // `<![CDATA[`: a bogus comment to HTML, ended by the first `>`; text to an XML reader until `]]>`.
      this.declarations.start('![');
      this.state = State.Bogus;
      return;
    }
    if (this.name === '/' && !isLetter(lower)) {
      // `</>` is dropped; `</1…>` is a bogus comment to the first `>`.
      this.element = '';
      this.declarations.start('/');
      this.state = c === 0x3e ? State.Text : State.Bogus;
      return;
    }
    // XML names also hold `.` and any non-ASCII letter (`<a.b:script>`, `<é:script>` with their prefix bound).
    const nameByte = isNameByte(lower) || c === 0x2e || c >= 0x80;
    if (nameByte || (this.name === '' && (c === 0x3f || c === 0x21 || c === 0x2f)) || this.htmlName(c)) {
      if (this.name.length < NAME_CAP) this.name += String.fromCharCode(lower);
      if (c === 0x3a) {
        this.prefixed = true;
        this.local = '';
      } else if (this.local.length < NAME_CAP) this.local += String.fromCharCode(lower);
      if (this.name === '!--' && this.readsAsShown) this.state = State.Text;
      else if (this.name === '!--') {
        this.state = State.Comment;
        this.commentBytes = 0;
      }
      return;
    }
    this.closeName();
    if (this.found !== undefined) return;
    if (c === 0x3c && this.xmlOnly) {
      this.startTag();
      return;
    }
    if (this.name.startsWith('!') || this.name.startsWith('?')) {
      this.declarations.start(this.name);
      if (c === 0x3e) {
        this.declarations.endAfterName(this.name);
        this.state = State.Text;
        return;
      }
      this.state = State.Bogus;
      this.declarations.byte(c, lower, 0);
      this.reportDeclarations();
      return;
    }
    this.state = c === 0x3e ? State.Text : State.Attributes;
    this.attribute = '';
    this.nameEnded = false;
    this.named = false;
  }

  /**
   * HTML reads an element's name on to white space, `/` or `>` (`<p!x='>` and `<p<!--` are names), where XML
   * allows no other byte; `<!…` and `<?…` are declarations, and `<_…` is text to HTML.
   */
  private htmlName(c: number): boolean {
    if (this.xmlOnly || this.name === '' || this.name.startsWith('!') || this.name.startsWith('?'))
      return false;
    return !isSpace(c) && c !== 0x2f && c !== 0x3e;
  }

  /** Inside a tag, past its name. */
  private inTag(): boolean {
    return this.state === State.Attributes || this.state === State.BeforeValue || this.state === State.Value;
  }

  private reportDeclarations(): void {
    const problem = this.declarations.take();
    if (problem !== undefined) this.report(problem);
  }

  private startTag(): void {
    this.state = State.TagName;
    this.xmlOnly = false;
    this.name = '';
    this.local = '';
    this.prefixed = false;
  }

  private closeName(): void {
    // `svg:script`, `html:iframe`: in an XML document a prefix names the namespace, not another element.
    this.element = this.name.startsWith('/') ? '' : this.prefixed ? this.local : this.name;
    this.onTag(this.element);
    this.rawText.tag(this.name, this.element);
  }

  private rawEnd(lower: number): void {
    const problem = this.rawText.byte(lower);
    if (problem !== undefined) this.report(problem);
  }

  private startValue(quote: number): void {
    this.state = State.Value;
    this.quote = quote;
    this.onValueStart();
  }

  private valueByte(c: number, lower: number): void {
    const closes = this.quote === 0 ? isSpace(c) || c === 0x3e : c === this.quote;
    if (!closes) {
      this.onValue(c, lower);
      return;
    }
    this.onValueEnd();
    this.state = c === 0x3e ? State.Text : State.Attributes;
    this.attribute = '';
    this.nameEnded = false;
    this.named = false;
  }
}
