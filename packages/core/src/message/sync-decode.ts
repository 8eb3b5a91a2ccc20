import libbase64 from 'libbase64';
import libqp from 'libqp';

/**
 * A transfer decoder without a stream: each `write` answers the decoded bytes the stream decoder
 * mailsplit hands out (`node.getDecoder()`) would emit for that write, in the same pieces.
 */
export interface SyncDecoder {
  write(chunk: Buffer): Buffer | undefined;
  end(): Buffer | undefined;
}

// A stream decoder emits nothing for an empty write.
const IDENTITY: SyncDecoder = {
  write: (chunk) => (chunk.length > 0 ? chunk : undefined),
  end: () => undefined,
};

/** The decoder for a part's transfer encoding (lower-case, as mailsplit reports it). */
export function syncDecoder(encoding: string | false): SyncDecoder {
  if (encoding === 'base64') return base64Decoder();
  if (encoding === 'quoted-printable') return qpDecoder();
  return IDENTITY;
}

// Decoded as libbase64's Decoder decodes each write: the characters that are not base64 dropped, the text up
// to the last padding decoded as it is, the rest in whole quartets, an incomplete quartet carried over.
function base64Decoder(): SyncDecoder {
  let carry = '';
  const decode = (text: string): Buffer | undefined => {
    if (!text) return undefined;
    const out = libbase64.decode(text);
    return out.length > 0 ? out : undefined;
  };
  return {
    write(chunk) {
      if (chunk.length === 0) return undefined;
      let b64 = carry + chunk.toString('latin1');
      carry = '';
      if (/[^a-zA-Z0-9+/=]/.test(b64)) b64 = b64.replace(/[^a-zA-Z0-9+/=]/g, '');
      const lastPad = b64.lastIndexOf('=');
      const padded = lastPad >= 0 ? b64.slice(0, lastPad + 1) : '';
      let rest = lastPad >= 0 ? b64.slice(lastPad + 1) : b64;
      const keep = rest.length < 4 ? rest.length : rest.length % 4;
      carry = rest.slice(rest.length - keep);
      rest = rest.slice(0, rest.length - keep);
      return decode(padded + rest);
    },
    end() {
      const last = carry;
      carry = '';
      return decode(last);
    },
  };
}

// libqp's Decoder decodes once, at the end, all it was given.
function qpDecoder(): SyncDecoder {
  const chunks: string[] = [];
  return {
    write(chunk) {
      if (chunk.length > 0) chunks.push(chunk.toString('binary'));
      return undefined;
    },
    end() {
      if (chunks.length === 0) return undefined;
      const out = libqp.decode(chunks.join(''));
      return out.length > 0 ? out : undefined;
    },
  };
}
