import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An SES API error: the `Code` of an awsQuery error response and its status. */
export class SesApiError extends Error {
  override name = 'SesApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Reads an awsQuery request (form-encoded POST) of at most `limit` bytes. */
export async function readForm(req: IncomingMessage, limit: number): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > limit) throw new SesApiError('ValidationError', `request body is over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** `Prefix.member.N.Field` values of a query list, in order. */
export function members(
  form: URLSearchParams,
  prefix: string,
  fields: readonly string[],
): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (let n = 1; form.has(`${prefix}.member.${n}.${fields[0]}`); n++) {
    out.push(Object.fromEntries(fields.map((f) => [f, form.get(`${prefix}.member.${n}.${f}`) ?? ''])));
  }
  return out;
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for an XML element. */
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** Sends an awsQuery success: `<{Action}Response><{Action}Result>…</…><ResponseMetadata>`. */
export function sendResult(res: ServerResponse, action: string, inner: string): void {
  // SES names the request in its x-amzn-RequestId header and in the document alike (guard-ses trusts a refusal
  // only when both name the same one: fault round 57).
  const requestId = randomUUID();
  const body = `<${action}Response xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}

/** Sends an awsQuery error response. */
export function sendQueryError(res: ServerResponse, error: unknown): number {
  const e = error instanceof SesApiError ? error : new SesApiError('InternalFailure', String(error), 500);
  const requestId = randomUUID();
  const body = `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${xml(e.code)}</Code><Message>${xml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(e.status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
  return e.status;
}
