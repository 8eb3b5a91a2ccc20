import { type Box, boxThrough, intersect, PdfContent } from './pdf-content.js';
import { textString } from './pdf-encodings.js';
import { IDENTITY, MAX_PDF_PIECES, type Matrix, multiply, Shown } from './pdf-layout.js';
import { type Dict, isDict, MAX_NESTING, Name, Ref, type Value } from './pdf-lexer.js';
import { type Entry, isXref, MAX_PDF_OBJECTS } from './pdf-objects.js';
import { PdfProblem } from './pdf-problem.js';

// What a reader of a PDF is shown, for the PDF text reader (pdf-text.ts): its pages (the page tree, and pages it
// does not reach), annotations drawn where the page shows them, form fields' values, XFA packets, every other
// string a viewer may show, and the files it embeds.

// Actions whose file specification `/F` names the file they open, read or post to (ISO 32000-1 12.6.4).
const FILE_ACTIONS = new Set(['GoToE', 'Thread', 'ImportData', 'SubmitForm']);

/** Most pages read in one PDF; past it the PDF is unread. */
export const MAX_PDF_PAGES = 10_000;

/** A PDF as its reader sees it: the text of each view of the file (pdf-objects.ts), and its embedded files. */
export class PdfDocument extends PdfContent {
  private readonly pieces = { left: MAX_PDF_PIECES };

  /**
   * Text a page's resources can draw without the page's content naming it directly: every form, tiling pattern
   * (a cell can hold text) and Type3 glyph procedure in them, each interpreted once per document, within the
   * same work bound (what is drawn is read; reading what is not drawn too costs nothing but time).
   */
  private sweepResources(
    res: Dict,
    into: string[],
    work: { bytes: number },
    swept: Set<number>,
    depth: number,
  ): void {
    if (depth > MAX_NESTING) return;
    const streams: { ref: Ref; resources: Value | undefined }[] = [];
    for (const group of ['XObject', 'Pattern'])
      for (const v of this.dict(res.get(group)).values())
        if (this.isStream(v) && this.nameOf(this.dict(v).get('Subtype')) !== 'Image')
          streams.push({ ref: v, resources: this.dict(v).get('Resources') });
    // A soft mask's group (ExtGState /SMask /G): a page filled through it shows what the group draws.
    for (const gs of this.dict(res.get('ExtGState')).values()) {
      const group = this.dict(this.dict(gs).get('SMask')).get('G');
      if (this.isStream(group)) streams.push({ ref: group, resources: this.dict(group).get('Resources') });
    }
    for (const f of this.dict(res.get('Font')).values()) {
      const font = this.dict(f);
      if (this.nameOf(font.get('Subtype')) !== 'Type3') continue;
      for (const proc of this.dict(font.get('CharProcs')).values())
        if (this.isStream(proc)) streams.push({ ref: proc, resources: font.get('Resources') });
    }
    for (const { ref, resources } of streams) {
      if (swept.has(ref.num)) continue;
      swept.add(ref.num);
      const inside = resources ? this.dict(resources) : res;
      const drawn = new Shown(this.pieces);
      this.interpret(this.stream(ref.num), inside, drawn, work, new Set([ref.num]), depth + 1);
      into.push(drawn.text());
      if (resources) this.sweepResources(inside, into, work, swept, depth + 1);
    }
  }

  /** The files a file specification's /EF names, and any stream typed /EmbeddedFile, each once, with its name. */
  embeddedFiles(): { name: string; bytes: Buffer }[] {
    const files: { name: string; bytes: Buffer }[] = [];
    const read = new Set<Entry>();
    // In each view of the file (the chain's may name another copy of a file than the last definition).
    for (const view of [this.objects, ...this.chainViews.map((v) => v.objects)]) {
      if (!view) continue;
      this.inView(view, () => {
        const named = new Map<number, string>();
        for (const entry of view.values()) {
          const spec = entry.value;
          if (!isDict(spec) || !spec.has('EF')) continue;
          const name = [spec.get('UF'), spec.get('F'), spec.get('Unix'), spec.get('Mac'), spec.get('DOS')]
            .map((v) => this.resolve(v))
            .find((v) => v instanceof Buffer);
          for (const file of this.dict(spec.get('EF')).values())
            if (this.isStream(file) && !named.has(file.num))
              named.set(file.num, name instanceof Buffer ? textString(name) : 'embedded file');
        }
        for (const [num, entry] of view)
          if (
            entry.raw &&
            !named.has(num) &&
            this.nameOf(this.dict(entry.value).get('Type')) === 'EmbeddedFile'
          )
            named.set(num, 'embedded file');
        for (const [num, name] of named) {
          const entry = view.get(num) as Entry;
          if (read.has(entry)) continue;
          read.add(entry);
          files.push({ name, bytes: this.stream(num) });
        }
      });
    }
    return files;
  }

  /**
   * What the actions a viewer takes open: each `/Launch`, `/GoToR` and `/GoToE` action, and any other action with a
   * file specification `/F` (a `/Thread` opens the file holding the thread, an `/ImportData` reads an FDF file, a
   * `/SubmitForm` posts to its `/F`, a share's path among them: attacker round 51, A51-11), in any object of any
   * view, inline or not (a catalog's `/OpenAction`, an annotation's `/A` or `/AA`, a `/Next`), with the paths or
   * addresses its file specifications give (a Launch's `/F` and `/Win /F`; a GoToE without `/F` opens a file this
   * one embeds, listed as such). An action none of whose targets is a string is listed with no sources: what it
   * opens is not known. Linear: each object's value is walked once, {@link MAX_NESTING} deep.
   */
  actionTargets(): { action: string; sources: string[] }[] {
    const actions: { action: string; sources: string[] }[] = [];
    const walked = new Set<Entry>();
    for (const view of [this.objects, ...this.chainViews.map((v) => v.objects)]) {
      this.inView(view, () => {
        for (const entry of view.values()) {
          if (walked.has(entry)) continue;
          walked.add(entry);
          const stack: { value: Value; depth: number }[] = [{ value: entry.value, depth: 0 }];
          for (let next = stack.pop(); next; next = stack.pop()) {
            const { value, depth } = next;
            if (depth > MAX_NESTING) continue;
            const inner = Array.isArray(value) ? value : isDict(value) ? [...value.values()] : [];
            for (const v of inner)
              if (Array.isArray(v) || isDict(v)) stack.push({ value: v, depth: depth + 1 });
            if (!isDict(value)) continue;
            const action = this.nameOf(value.get('S'));
            if (action === undefined || !this.opensAFile(action, value)) continue;
            const sources = [
              ...this.fileSpecSources(value.get('F')),
              ...(action === 'Launch' ? this.fileSpecSources(this.dict(value.get('Win')).get('F')) : []),
            ];
            actions.push({ action, sources });
          }
        }
      });
    }
    return actions;
  }

  // Whether an action (by its type `/S`) opens another file: a Launch or GoToR always; a GoToE or any other action
  // with a file specification `/F` (a GoToE without one opens a file this one embeds). The types that take a file
  // (Thread, ImportData, SubmitForm) are listed whatever their `/F` holds; another dictionary's `/S` (a page
  // label's style, a transition's) is read as an action's only when its `/F` is a string or a dictionary.
  private opensAFile(action: string, value: Dict): boolean {
    if (action === 'Launch' || action === 'GoToR') return true;
    if (!value.has('F')) return false;
    if (FILE_ACTIONS.has(action)) return true;
    const spec = this.resolve(value.get('F'));
    return spec instanceof Buffer || isDict(spec);
  }

  // The paths a file specification gives: a string, or a dictionary's /UF, /F, /DOS, /Mac and /Unix (a URL
  // specification's without a scheme read as an address on a server).
  private fileSpecSources(spec: Value | undefined): string[] {
    const value = this.resolve(spec);
    if (value instanceof Buffer) return [textString(value)];
    if (!isDict(value)) return [];
    const url = this.nameOf(value.get('FS')) === 'URL';
    return ['UF', 'F', 'DOS', 'Mac', 'Unix']
      .map((key) => this.resolve(value.get(key)))
      .filter((v): v is Buffer => v instanceof Buffer)
      .map((v) => textString(v))
      .map((path) => (url && !/^[a-z][a-z0-9+.-]*:/i.test(path) ? `http://${path}` : path));
  }

  /** The pages' text, then the form fields' values and annotations' contents, as each view of the file shows. */
  read(): string[] {
    const texts = this.readView(this.trailers.map((t) => t.get('Root')).findLast((r) => r !== undefined));
    for (const chain of this.chainViews)
      texts.push(...this.inView(chain.objects, () => this.readView(chain.trailer.get('Root'))));
    return [...new Set(texts)];
  }

  private readView(rootRef: Value | undefined): string[] {
    const texts: string[] = [];
    const root = this.dict(rootRef) ?? new Map();
    const catalog = root.size > 0 ? root : this.findCatalog();
    if (!catalog) throw new PdfProblem('no document catalog');
    this.readOptionalContent(catalog);
    const work = { bytes: 0 };
    // The page tree, without recursion; a node met twice (a cycle) is read once.
    const seen = new Set<Dict>();
    const expanded = new Set<Value[]>();
    const swept = new Set<number>();
    const stack: { node: Value; resources: Value }[] = [
      { node: catalog.get('Pages') ?? null, resources: null },
    ];
    const fields: string[] = [];
    let pages = 0;
    const readPage = (dict: Dict, res: Value) => {
      if (++pages > MAX_PDF_PAGES) throw new PdfProblem(`more than ${MAX_PDF_PAGES} pages`);
      texts.push(this.readPage(dict, this.dict(res), { work, seen, expanded, swept, fields }));
    };
    while (stack.length > 0) {
      const { node, resources } = stack.pop() as { node: Value; resources: Value };
      const dict = this.dict(node);
      if (seen.has(dict)) continue;
      seen.add(dict);
      const res = dict.get('Resources') ?? resources;
      if (node instanceof Ref && !this.objects.has(node.num))
        throw new PdfProblem(`the page tree names object ${node.num}, which is not in the file`);
      const kids = this.resolve(dict.get('Kids'));
      if (Array.isArray(kids)) {
        // One array of kids shared by many nodes (or pages sharing one /Annots) is walked once, not once a node.
        if (!expanded.has(kids)) {
          expanded.add(kids);
          for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i] ?? null, resources: res });
        }
        continue;
      }
      readPage(dict, res);
    }
    // Pages the tree does not reach (a linearized file's first page, which its /O names and pdf.js shows first;
    // a page an update deleted): their content is in the file, so they are read too.
    for (const entry of [...this.objects.values()]) {
      const dict = this.dict(entry.value);
      if (seen.has(dict) || this.nameOf(dict.get('Type')) !== 'Page' || dict.has('Kids')) continue;
      seen.add(dict);
      readPage(dict, this.inherited(dict, 'Resources'));
    }
    // Form fields' values, the field tree walked without recursion.
    const form = this.dict(catalog.get('AcroForm') ?? null);
    // An XFA form (Acrobat draws it instead of the page): its XML packets, as text, and as shown (character
    // references decoded, tags apart), each and all together (a number may be split across two packets).
    const xfa = this.resolve(form.get('XFA') ?? null);
    const packets: string[] = [];
    for (const packet of Array.isArray(xfa) ? xfa : [form.get('XFA') ?? null])
      if (this.isStream(packet)) packets.push(this.stream(packet.num).toString('utf8'));
    // Each field its own value: elements are kept apart (a form's four amounts are not one number).
    const xfaText = (xml: string) => markupText(xml, true);
    fields.push(...packets, ...packets.map(xfaText));
    if (packets.length > 1) fields.push(xfaText(packets.join('')));
    const fieldStack: Value[] = [...(this.array(form.get('Fields')) ?? [])];
    for (let n = 0; fieldStack.length > 0; n++) {
      if (n > MAX_PDF_OBJECTS) throw new PdfProblem(`more than ${MAX_PDF_OBJECTS} form fields`);
      const field = this.dict(fieldStack.pop() ?? null);
      if (seen.has(field)) continue;
      seen.add(field);
      const value = this.resolve(field.get('V') ?? null);
      if (value instanceof Buffer) fields.push(textString(value));
      else if (value instanceof Name) fields.push(value.name);
      fieldStack.push(...(this.array(field.get('Kids')) ?? []));
    }
    // Every other string the file holds, wherever a viewer may show it: bookmarks' titles, the document's /Info
    // (a title bar), page labels, a list's options, tooltips, captions, rich-text notes, script literals.
    const strings = new Set<string>();
    const walked = new Set<object>();
    for (const [num, entry] of this.objects) {
      const dict = this.dict(entry.value);
      if (num === this.unencrypted || isXref(dict, this) || this.nameOf(dict.get('Type')) === 'Sig') continue;
      collectStrings(entry.value, strings, 0, walked);
    }
    for (const trailer of this.trailers)
      collectStrings(this.resolve(trailer.get('Info')), strings, 0, walked);
    // Scripts kept in streams (an action's /JS): the literals they show (an alert, a field's value) are read; a
    // number a script computes cannot be (threat-model.md).
    const scripts = new Set<number>();
    const seenValues = new Set<object>();
    for (const entry of this.objects.values()) scriptStreams(entry.value, scripts, 0, seenValues);
    for (const num of scripts)
      if (this.objects.get(num)?.raw) strings.add(this.stream(num).toString('latin1'));
    // Rich text (an annotation's /RC, XHTML) is shown with its character references decoded.
    for (const text of [...strings]) if (/[<&]/.test(text)) strings.add(markupText(text, false));
    return [...new Set([...texts, ...fields, ...strings])].filter((t) => t !== '');
  }

  /**
   * One page's text: its content, then its annotations' appearances drawn where the page shows them (a number
   * split between the page and a widget beside it reads as one), laid out together. Each appearance is also
   * read alone, and the forms, patterns and soft masks its resources hold are swept as the page's are.
   */
  private readPage(
    dict: Dict,
    res: Dict,
    doc: {
      work: { bytes: number };
      seen: Set<Dict>;
      expanded: Set<Value[]>;
      swept: Set<number>;
      fields: string[];
    },
  ): string {
    const { work, seen, expanded, swept, fields } = doc;
    // What lies outside the page's box, or its crop box, is not seen.
    const boxOf = (key: 'MediaBox' | 'CropBox'): Box | undefined => {
      const b = this.numbers(this.inherited(dict, key));
      const [x0, y0, x1, y1] = b as [number, number, number, number];
      return b.length === 4
        ? [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)]
        : undefined;
    };
    const media = boxOf('MediaBox');
    const crop = boxOf('CropBox');
    const shown = new Shown(this.pieces, media && crop ? intersect(media, crop) : (media ?? crop));
    const contents = this.resolve(dict.get('Contents'));
    // An array of streams is one content stream, as if joined.
    const parts = Array.isArray(contents) ? contents : [dict.get('Contents') ?? null];
    for (const p of parts)
      if (p instanceof Ref && !this.objects.get(p.num)?.raw)
        throw new PdfProblem(`a page's content names stream ${p.num}, which is not in the file`);
    const data = Buffer.concat(
      parts
        .map((p) => (p instanceof Ref ? this.stream(p.num) : Buffer.alloc(0)))
        .flatMap((b) => [b, Buffer.from('\n')]),
    );
    this.interpret(data, res, shown, work, new Set(), 0);
    this.sweepResources(res, fields, work, swept, 0);
    const annots = this.resolve(dict.get('Annots'));
    const listed = Array.isArray(annots) ? annots : [];
    // An annotation (or a whole /Annots array) shared by pages is read alone once, and drawn on each page it is
    // on (within the work bound).
    const firstTime = !expanded.has(listed);
    expanded.add(listed);
    for (const a of listed) {
      const annot = this.dict(a);
      const alone = firstTime && !seen.has(annot);
      seen.add(annot);
      const contents = this.resolve(annot.get('Contents') ?? null);
      if (alone && contents instanceof Buffer) fields.push(textString(contents));
      // What the annotation is drawn as (a stamp, a filled widget, free text): its normal appearance, or each
      // of its states.
      const normal = this.dict(annot.get('AP')).get('N');
      const looks = this.isStream(normal) ? [normal] : [...this.dict(normal).values()];
      // On the page, as a viewer draws it: not when Hidden (flag 2), or its optional content is off; of several
      // states, the one /AS selects. NoView (32) with Print (4) is drawn on paper only: laid out as unseen, so the
      // page is read both with it (printed) and without it (on screen).
      const flags = this.real(annot.get('F')) ?? 0;
      const noView = (flags & 32) !== 0;
      const drawnOnPage =
        (flags & 2) === 0 && (!noView || (flags & 4) !== 0) && !this.contentOff(annot.get('OC'));
      const state = this.nameOf(annot.get('AS'));
      const selected = this.isStream(normal)
        ? normal
        : state !== undefined
          ? this.dict(normal).get(state)
          : undefined;
      for (const look of looks) {
        if (!this.isStream(look)) continue;
        const own = this.dict(look).get('Resources');
        const inside = own ? this.dict(own) : res;
        if (alone) {
          const drawn = new Shown(this.pieces);
          this.interpret(this.stream(look.num), inside, drawn, work, new Set([look.num]), 1);
          fields.push(drawn.text());
          if (own) this.sweepResources(inside, fields, work, swept, 1);
        }
        if (drawnOnPage && (selected === undefined || selected === look))
          this.interpret(
            this.stream(look.num),
            inside,
            shown,
            work,
            new Set([look.num]),
            1,
            this.placing(annot, look),
            { unseen: noView },
          );
      }
    }
    return shown.text();
  }

  /** Where an appearance is drawn on the page: its /Matrix, then its box scaled onto the annotation's /Rect. */
  private placing(annot: Dict, look: Ref): Matrix {
    const rect = this.numbers(annot.get('Rect'));
    const form = this.dict(look);
    const box = this.numbers(form.get('BBox'));
    const m = this.numbers(form.get('Matrix'));
    const matrix: Matrix = m.length === 6 ? (m as unknown as Matrix) : IDENTITY;
    if (rect.length !== 4 || box.length !== 4) return matrix;
    const [r0, r1, r2, r3] = rect as [number, number, number, number];
    const [x0, y0, x1, y1] = boxThrough(box as unknown as Box, matrix);
    const sx = x1 > x0 ? (Math.max(r0, r2) - Math.min(r0, r2)) / (x1 - x0) : 1;
    const sy = y1 > y0 ? (Math.max(r1, r3) - Math.min(r1, r3)) / (y1 - y0) : 1;
    return multiply(matrix, [sx, 0, 0, sy, Math.min(r0, r2) - sx * x0, Math.min(r1, r3) - sy * y0]);
  }

  /** A page's value of `key`, or the nearest node's above it that has one (a page outside the tree too). */
  private inherited(page: Dict, key: 'Resources' | 'MediaBox' | 'CropBox'): Value {
    let node = page;
    for (let depth = 0; depth <= MAX_NESTING; depth++) {
      const value = node.get(key);
      if (value !== undefined) return value;
      const parent = this.dict(node.get('Parent'));
      if (parent.size === 0) break;
      node = parent;
    }
    return null;
  }

  private findCatalog(): Dict | undefined {
    let found: Entry | undefined;
    for (const entry of this.objects.values())
      if (
        isDict(entry.value) &&
        this.nameOf(entry.value.get('Type')) === 'Catalog' &&
        (!found || entry.at >= found.at)
      )
        found = entry;
    return found && (found.value as Dict);
  }
}

// The streams named by /JS anywhere in a value (an action written inline in a catalog or an annotation).
function scriptStreams(v: Value, into: Set<number>, depth: number, walked: Set<object>): void {
  if (depth > MAX_NESTING || typeof v !== 'object' || v === null || walked.has(v)) return;
  walked.add(v);
  if (Array.isArray(v)) for (const item of v) scriptStreams(item, into, depth + 1, walked);
  else if (isDict(v))
    for (const [key, item] of v) {
      if (key === 'JS' && item instanceof Ref) into.add(item.num);
      else scriptStreams(item, into, depth + 1, walked);
    }
}

// Markup (XFA's XML, rich text's XHTML) as shown: tags apart, character references and XML's entities decoded;
// with `apart`, elements other than inline formatting end with more separators than the card finder bridges.
function markupText(markup: string, apart: boolean): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return withoutTags(markup, apart).replace(
    /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,6}));?/gi,
    (all, dec?: string, hex?: string, name?: string) => {
      const code = dec ? Number(dec) : hex ? Number.parseInt(hex, 16) : undefined;
      if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : all;
      return named[(name as string).toLowerCase()] ?? all;
    },
  );
}

// Tags become a space and CDATA sections their content, in one pass: a `<` that never closes is text to the end
// (as a browser shows it), so `<<<<…` is not searched from each `<` again (`/<[^>]*>/g` was quadratic there).
function withoutTags(markup: string, apart: boolean): string {
  const out: string[] = [];
  let at = 0;
  for (let open = markup.indexOf('<'); open >= 0; open = markup.indexOf('<', at)) {
    out.push(markup.slice(at, open));
    if (markup.startsWith('<![CDATA[', open)) {
      const end = markup.indexOf(']]>', open + 9);
      out.push(' ', markup.slice(open + 9, end < 0 ? markup.length : end), ' ');
      at = end < 0 ? markup.length : end + 3;
      continue;
    }
    const close = markup.indexOf('>', open + 1);
    if (close < 0) {
      at = open;
      break;
    }
    const name = /^\/?([A-Za-z][\w.-]*)/.exec(markup.slice(open + 1, Math.min(close, open + 40)))?.[1];
    out.push(apart && !(name && INLINE_TAGS.has(name.toLowerCase())) ? '       \n' : ' ');
    at = close + 1;
  }
  out.push(markup.slice(at));
  return out.join('');
}

const INLINE_TAGS = new Set([
  'span',
  'b',
  'i',
  'u',
  's',
  'em',
  'strong',
  'font',
  'sub',
  'sup',
  'a',
  'small',
  'big',
]);

// Strings no viewer shows: a file's identifiers, a CID font's character collection.
const MACHINE_STRINGS = new Set(['ID', 'Registry', 'Ordering']);

/**
 * Adds each string in a value (dictionaries and arrays walked, references not followed) as text; a container
 * met again (many objects sharing one array) is walked once.
 */
function collectStrings(v: Value, into: Set<string>, depth: number, walked: Set<object>): void {
  if (depth > MAX_NESTING) return;
  if (v instanceof Buffer) into.add(textString(v));
  else if (Array.isArray(v) || isDict(v)) {
    if (walked.has(v)) return;
    walked.add(v);
    if (Array.isArray(v)) for (const item of v) collectStrings(item, into, depth + 1, walked);
    else
      for (const [key, item] of v)
        if (!MACHINE_STRINGS.has(key)) collectStrings(item, into, depth + 1, walked);
  }
}
