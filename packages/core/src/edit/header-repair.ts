import libmime from 'libmime';
import { isImmutableHeader } from '../mime/update-rules.js';
import type { RepairContext } from './raw-repair.js';

/** One line of a header block: its bytes (line end included) and its text without the line end. */
export interface HeaderLine {
  raw: Buffer;
  text: string;
}

/** A header block after repair, and the lines that turned out to be the start of the body. */
export interface RepairedHeader {
  header: Buffer[];
  body: Buffer[];
  repairs: string[];
  /** Defects left as they are because repairing them would change a header WorkMail forbids changing. */
  unrepairable: string[];
  /** The boundary of a multipart part, when it has one. */
  boundary?: string;
  /** The transfer encoding the body is in (lower case, after repair). */
  encoding: string;
  /** True when the body is itself a message (message/rfc822 in 7bit, 8bit or binary). */
  message: boolean;
}

const FIELD = /^[!-9;-~]+[ \t]*:/;
const ENCODINGS = new Set(['7bit', '8bit', 'binary', 'base64', 'quoted-printable']);
const ALIASES: Record<string, string> = {
  '7-bit': '7bit',
  '7bits': '7bit',
  '8-bit': '8bit',
  '8bits': '8bit',
  'quoted printable': 'quoted-printable',
  quotedprintable: 'quoted-printable',
  'quoted-printable;': 'quoted-printable',
  'base-64': 'base64',
};
const SAFE_ADDRESS = /^[^\s<>()\\,;:"@]+@[A-Za-z0-9.-]+$/;
const EIGHT_BIT = /[\u0080-\u00ff]/;

interface Field {
  name: string;
  lines: HeaderLine[];
}

/**
 * Repairs one header block (see {@link RawRepair}): malformed lines before the last field are folded
 * into the field before them (or moved to an `X-Wmflow-Unparsed` field at the end when that field must not change); from
 * the first malformed line after the last field on, the lines are the body; 8-bit values of editable
 * fields are encoded (RFC 2047, or RFC 2231 parameters); unknown transfer encodings are normalised;
 * a multipart without a boundary becomes text; the root gets a missing `Date` and `From`.
 */
export function repairHeaderBlock(
  lines: readonly HeaderLine[],
  options: { root: boolean; context: RepairContext; eol: string },
): RepairedHeader {
  const { eol } = options;
  const repairs: string[] = [];
  const unrepairable: string[] = [];
  let last = -1;
  lines.forEach((l, i) => {
    if (FIELD.test(l.text)) last = i;
  });
  const fields: Field[] = [];
  const moved: Field[] = [];
  let bodyFrom = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as HeaderLine;
    const current = fields.at(-1);
    if (FIELD.test(l.text))
      fields.push({ name: l.text.slice(0, l.text.indexOf(':')).trim().toLowerCase(), lines: [l] });
    else if ((l.text[0] === ' ' || l.text[0] === '\t') && current) current.lines.push(l);
    else if (i > last) {
      bodyFrom = i;
      repairs.push('ended the header block where the body starts (no blank line)');
      break;
    } else if (current && !isImmutableHeader(current.name)) {
      current.lines.push({ raw: Buffer.concat([Buffer.from(' '), l.raw]), text: ` ${l.text}` });
      repairs.push(`folded a malformed line into ${current.name}`);
    } else {
      const raw = Buffer.concat([Buffer.from('X-Wmflow-Unparsed: '), l.raw]);
      moved.push({ name: 'x-wmflow-unparsed', lines: [{ raw, text: `X-Wmflow-Unparsed: ${l.text}` }] });
      repairs.push('moved a malformed header line to X-Wmflow-Unparsed at the end of the header');
    }
  }
  // Moved lines go last, so a continuation after them still belongs to the field it followed.
  fields.push(...moved);
  let boundary: string | undefined;
  let encoding = '7bit';
  let message = false;
  const header: Buffer[] = [];
  for (const f of fields) {
    const value = unfold(f);
    let replaced: string | undefined;
    if (f.name === 'content-transfer-encoding') {
      const v = value.trim().toLowerCase().replace(/^"|"$/g, '');
      const fixed = ENCODINGS.has(v) ? undefined : (ALIASES[v] ?? '8bit');
      encoding = fixed ?? v;
      if (fixed) {
        replaced = `Content-Transfer-Encoding: ${fixed}`;
        repairs.push(`normalised transfer encoding "${v.slice(0, 40)}" to ${fixed}`);
      }
    } else if (f.name === 'content-type' && /^\s*message\/(rfc822|global)\b/i.test(value)) {
      message = true;
    } else if (f.name === 'content-type' && /^\s*multipart\//i.test(value)) {
      boundary = libmime.parseHeaderValue(value).params.boundary;
      if (!boundary) {
        replaced = 'Content-Type: text/plain; charset=us-ascii';
        repairs.push('read a multipart without a boundary as text');
      }
    }
    if (replaced === undefined && EIGHT_BIT.test(f.lines.map((l) => l.text).join(''))) {
      if (isImmutableHeader(f.name)) {
        unrepairable.push(
          `8-bit bytes in ${f.name}: no repair may change it (WorkMail forbids changing ${f.name})`,
        );
      } else {
        replaced = encodeField(f, value);
        repairs.push(`encoded 8-bit text in ${f.name}`);
      }
    }
    if (replaced === undefined) for (const l of f.lines) header.push(l.raw);
    else header.push(Buffer.from(`${libmime.foldLines(replaced, 76).replace(/\r?\n/g, eol)}${eol}`));
  }
  if (options.root) header.push(...missingFields(fields, options.context, eol, repairs));
  return {
    header,
    body: lines.slice(bodyFrom).map((l) => l.raw),
    repairs,
    unrepairable,
    encoding,
    message: message && !['base64', 'quoted-printable'].includes(encoding),
    ...(boundary ? { boundary } : {}),
  };
}

function missingFields(fields: Field[], context: RepairContext, eol: string, repairs: string[]): Buffer[] {
  const out: Buffer[] = [];
  const has = (name: string) => fields.some((f) => f.name === name);
  if (!has('from')) {
    const from = SAFE_ADDRESS.test(context.mailFrom) ? context.mailFrom : 'unknown-sender@unknown.invalid';
    out.push(Buffer.from(`From: <${from}>${eol}`));
    repairs.push(`added From <${from}> from the envelope`);
  }
  if (!has('date')) {
    const date = context.receivedAt.toUTCString().replace(/GMT$/, '+0000');
    out.push(Buffer.from(`Date: ${date}${eol}`));
    repairs.push(`added Date ${date} from the receipt time`);
  }
  return out;
}

function unfold(f: Field): string {
  const first = f.lines[0] as HeaderLine;
  return [first.text.slice(first.text.indexOf(':') + 1), ...f.lines.slice(1).map((l) => l.text)]
    .join(' ')
    .trim();
}

// The raw bytes were read as Latin-1; valid UTF-8 is taken as UTF-8 (RFC 6532), anything else as Latin-1.
function encodeField(f: Field, latin1Value: string): string {
  const first = (f.lines[0] as HeaderLine).text;
  const name = first.slice(0, first.indexOf(':')).trim();
  const bytes = Buffer.from(latin1Value, 'latin1');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = latin1Value;
  }
  if (f.name === 'content-type' || f.name === 'content-disposition') {
    return `${name}: ${libmime.buildHeaderValue(libmime.parseHeaderValue(text))}`;
  }
  return `${name}: ${libmime.encodeWords(text, 'Q', 52)}`;
}
