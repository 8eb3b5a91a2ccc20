/** What a second reading needs of a scan: the bytes, then its finding. */
interface Reading {
  push(chunk: Uint8Array): void;
  end(): string | undefined;
}

const ESC = 0x1b;

/** The decoded bytes of one chunk: ASCII as is, any other character (a kanji, a katakana, an error) as U+FFFD. */
class Output {
  readonly bytes: Buffer;
  length = 0;
  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }
  ascii(byte: number): void {
    this.bytes[this.length++] = byte;
  }
  other(): void {
    this.bytes[this.length++] = 0xef;
    this.bytes[this.length++] = 0xbf;
    this.bytes[this.length++] = 0xbd;
  }
}

enum Mode {
  Ascii,
  /** JIS X 0201 Roman: ASCII but for `\` (¥) and `~` (‾). */
  Roman,
  /** JIS X 0201 katakana, one byte each. */
  Katakana,
  /** JIS X 0208, two bytes per character. */
  Lead,
  Trail,
}

/** The escape sequences the decoder knows (`ESC ( B`…), by their two bytes after ESC, and the mode each selects. */
const ESCAPES = new Map<number, Mode>([
  [0x2842, Mode.Ascii],
  [0x284a, Mode.Roman],
  [0x2849, Mode.Katakana],
  [0x2440, Mode.Lead],
  [0x2442, Mode.Lead],
]);

/**
 * A page's bytes as a browser reads them when it takes the file for ISO-2022-JP, which browsers detect
 * unasked: the escapes that switch its character sets vanish in decoding, so `<scr ESC(B ipt>` is a
 * `<script>` to the browser and not to a scan of the bytes. ASCII is kept as is and every other character
 * given as U+FFFD (which kanji it is does not matter to markup). `standard`: exactly the WHATWG Encoding
 * Standard's decoder, as Chromium, Firefox and Safari decode (an escape right after an escape, an unknown
 * escape, half a kanji cut by an escape are each a U+FFFD, which keeps `<!-` and `-` apart; a kanji or
 * katakana run goes on across a line break). `joining`: bent where older decoders have differed toward joining
 * more (those escapes vanish; a line break ends a run). The page scan reads both. Node's own decoder (ICU) is
 * not used: streamed, it throws on stray escapes (`ESC [31m`). One pass, constant state, linear in the bytes.
 */
export class JisReading {
  private mode = Mode.Ascii;
  /** The mode an unknown escape falls back to (the standard's "output state"). */
  private settled = Mode.Ascii;
  /** The escape sequence being read: 0 none, ESC alone, or its second byte (`$` or `(`). */
  private escape = 0;
  /** An escape was the last thing read (the standard's "output flag"): another one right after is an error. */
  private escaped = false;

  constructor(
    private readonly scan: Reading,
    private readonly decoding: 'standard' | 'joining' = 'standard',
  ) {}

  private get joining(): boolean {
    return this.decoding === 'joining';
  }

  push(chunk: Uint8Array): void {
    // At most three bytes out per byte in, and a few more for an escape or a character begun in the last chunk.
    const out = new Output(chunk.length * 3 + 8);
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i] as number, out);
    if (out.length > 0) this.scan.push(out.bytes.subarray(0, out.length));
  }

  /** What the decoded page holds that makes it active, or undefined. */
  end(): string | undefined {
    const out = new Output(9);
    const pending = this.escape;
    this.escape = 0;
    if (pending !== 0) {
      this.unknown(out);
      if (pending !== ESC) this.byte(pending, out);
    }
    if (this.mode === Mode.Trail) out.other();
    if (out.length > 0) this.scan.push(out.bytes.subarray(0, out.length));
    return this.scan.end();
  }

  private byte(byte: number, out: Output): void {
    if (this.escape !== 0) {
      this.escapeByte(byte, out);
      return;
    }
    if (byte === ESC) {
      if (this.mode === Mode.Trail) {
        this.mode = Mode.Lead;
        if (!this.joining) out.other(); // the half character (joining drops it)
      }
      this.escape = ESC;
      return;
    }
    if (this.mode !== Mode.Trail) this.escaped = false;
    const lineBreak = this.joining && (byte === 0x0a || byte === 0x0d);
    switch (this.mode) {
      case Mode.Ascii:
      case Mode.Roman:
        if (byte >= 0x80 || byte === 0x0e || byte === 0x0f) out.other();
        else if (this.mode === Mode.Roman && (byte === 0x5c || byte === 0x7e)) out.other();
        else out.ascii(byte);
        return;
      case Mode.Katakana:
        if (lineBreak) this.lineBreak(byte, out);
        else out.other();
        return;
      case Mode.Lead:
        if (byte >= 0x21 && byte <= 0x7e) this.mode = Mode.Trail;
        else if (lineBreak) this.lineBreak(byte, out);
        else out.other();
        return;
      case Mode.Trail:
        // The standard reads any byte here as the second half (an error when it is none); joining ends the run.
        this.mode = Mode.Lead;
        out.other();
        if (lineBreak) this.lineBreak(byte, out);
        return;
    }
  }

  private lineBreak(byte: number, out: Output): void {
    this.mode = Mode.Ascii;
    this.settled = Mode.Ascii;
    out.ascii(byte);
  }

  private escapeByte(byte: number, out: Output): void {
    const first = this.escape;
    if (first === ESC) {
      if (byte === 0x24 || byte === 0x28) {
        this.escape = byte;
        return;
      }
      this.escape = 0;
      this.unknown(out);
      this.byte(byte, out); // what follows an ESC the decoder does not know is read as usual
      return;
    }
    const mode = ESCAPES.get((first << 8) | byte);
    this.escape = 0;
    if (mode !== undefined) {
      this.mode = mode;
      this.settled = mode;
      if (this.escaped && !this.joining) out.other(); // an escape right after an escape
      this.escaped = true;
      return;
    }
    this.unknown(out);
    this.byte(first, out);
    this.byte(byte, out);
  }

  /** An escape the decoder does not know: the standard writes U+FFFD for it, joining drops it. */
  private unknown(out: Output): void {
    if (!this.joining) out.other();
    this.escaped = false;
    this.mode = this.settled;
  }
}
