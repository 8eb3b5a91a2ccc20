import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type FlowHandler, type Rule, resetDefaultClients, Verdicts } from '@wmflow/core';
import { lambdaContext } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';

export const JOURNAL = 'journal-bucket';
export const UPDATES = 'updates-bucket';
export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/**
 * Size and SHA-256, to compare stored copies with: equal exactly when the bytes are, with a readable failure
 * (vitest's deep equality walks a Buffer index by index, about 4 s per MB).
 */
export const fingerprint = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : { size: b.length, sha256: sha256(b) };

/**
 * The local stack with fault proxies between the functions (their default clients, from the
 * environment) and the emulator / S3 server; the stack's own clients stay direct, to check what was
 * really stored and delivered. Faults start disabled (`seed` only).
 */
export async function startFaultStack(seed = 11): Promise<LocalStack> {
  const stack = await startLocalStack({ buckets: [JOURNAL, UPDATES], faults: `seed=${seed}` });
  Object.assign(process.env, stack.env, { AWS_MAX_ATTEMPTS: '3', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  resetDefaultClients();
  return stack;
}

/** One invocation as WorkMail makes it: what came back, or the error thrown (WorkMail then retries). */
export async function invoke(
  handler: FlowHandler,
  event: unknown,
  timeoutMs = 60_000,
): Promise<{ response?: unknown; error?: Error }> {
  try {
    return { response: await handler(event, lambdaContext({ timeoutMs })) };
  } catch (error) {
    return { error: error as Error };
  }
}

/** Invokes until an invocation answers (WorkMail's retries), at most `max` times. */
export async function invokeUntilAnswered(
  handler: FlowHandler,
  event: unknown,
  max = 12,
  timeoutMs = 60_000,
): Promise<{ answered: boolean; response?: unknown; attempts: number; errors: Error[] }> {
  const errors: Error[] = [];
  for (let attempt = 1; attempt <= max; attempt++) {
    const { response, error } = await invoke(handler, event, timeoutMs);
    if (!error) return { answered: true, response, attempts: attempt, errors };
    errors.push(error);
  }
  return { answered: false, attempts: max, errors };
}

/** Each error's cause chain in one line, for assertion messages. */
export function describeErrors(errors: readonly Error[]): string {
  return errors
    .map((error) => {
      const chain: string[] = [];
      for (let e: unknown = error; e instanceof Error; e = e.cause)
        chain.push(`${e.name}: ${e.message.slice(0, 80)}`);
      return chain.join(' <- ');
    })
    .join('\n');
}

/** The stored bytes of an object, or undefined when there is none. */
export async function stored(stack: LocalStack, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = got.Body as { transformToByteArray(): Promise<Uint8Array> };
    return Buffer.from(await body.transformToByteArray());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/**
 * Every journal object under the bucket checked against the original: each message copy is
 * byte-identical (a metadata object must state the copy's sha256 and size). Returns the copies' keys.
 */
export async function assertJournalIntact(
  stack: LocalStack,
  originals: ReadonlyMap<string, Buffer>,
): Promise<{ copies: string[]; problems: string[] }> {
  const problems: string[] = [];
  const copies: string[] = [];
  for (const { key } of await stack.listObjects(JOURNAL)) {
    const bytes = (await stored(stack, JOURNAL, key)) ?? Buffer.alloc(0);
    if (key.endsWith('.json')) {
      const meta = JSON.parse(bytes.toString('utf8')) as { sha256: string; size: number; key: string };
      const copy = await stored(stack, JOURNAL, meta.key);
      if (!copy || sha256(copy) !== meta.sha256 || copy.length !== meta.size)
        problems.push(`${key}: describes bytes that are not stored`);
      continue;
    }
    copies.push(key);
    const id = [...originals.keys()].find((messageId) => key.includes(messageId));
    const original = id ? originals.get(id) : undefined;
    if (!original) problems.push(`${key}: no original`);
    else if (!original.equals(bytes)) {
      problems.push(
        `${key}: ${bytes.length} bytes, original ${original.length}: ${bytes.length < original.length ? 'truncated' : 'mismatched'}`,
      );
    }
  }
  return { copies, problems };
}

/** A synthetic message of about `size` bytes: text plus a base64 attachment, unique per seed. */
export function bigMessage(size: number, seed: string, extraHeaders = ''): Buffer {
  // The attachment is a real PDF (no pages, one unreferenced stream of seeded bytes), so the DLP reads it and
  // lets it through, as it does a report with no text: the faults, not the content, decide these tests.
  // Sized so the message is about `size` bytes, as its base64 lines (76 characters and CRLF) are.
  const noise = Buffer.alloc(Math.max(0, Math.floor((((size * 3) / 4) * 76) / 78) - 300));
  for (let i = 0; i * 32 < noise.length; i++)
    createHash('sha256')
      .update(`${seed}-${i}`)
      .digest()
      .copy(noise, i * 32);
  const pdf = Buffer.concat([
    Buffer.from(
      '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n' +
        `endobj\n3 0 obj\n<< /Length ${noise.length} >>\nstream\n`,
      'latin1',
    ),
    noise,
    Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
  ]);
  const lines = pdf.toString('base64').match(/.{1,76}/g) ?? [];
  return Buffer.from(
    `From: Ann <ann@partner.example>\r\nTo: bob@corp.example\r\nSubject: report ${seed}\r\n` +
      `Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <${seed}@partner.example>\r\n${extraHeaders}` +
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
      '--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find the report attached.\r\n' +
      '--b1\r\nContent-Type: application/pdf; name="report.pdf"\r\nContent-Disposition: attachment; filename="report.pdf"\r\n' +
      `Content-Transfer-Encoding: base64\r\n\r\n${lines.join('\r\n')}\r\n--b1--\r\n`,
    'latin1',
  );
}

/** The verdict of an answer's first action (`DEFAULT`, `BOUNCE`…), or undefined without one. */
export function firstAction(response: unknown): string | undefined {
  return (response as { actions?: { action: { type: string } }[] } | undefined)?.actions?.[0]?.action.type;
}

/** A {@link bigMessage} of about `size` bytes whose last part is a small Windows executable, `run.exe`. */
export function withExe(size: number, seed: string): Buffer {
  const exe = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');
  const part = `--b1\r\nContent-Type: application/octet-stream; name="run.exe"\r\nContent-Disposition: attachment; filename="run.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\n${exe}\r\n--b1--\r\n`;
  return Buffer.from(
    bigMessage(size, seed)
      .toString('latin1')
      .replace(/--b1--\r\n$/, part),
    'latin1',
  );
}

/** Resolves when `signal` aborts (the invocation's deadline), or after `ms`: a rule that stalls until cancelled. */
export function untilAborted(signal: AbortSignal, ms = 20_000): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Rules still running at the deadline, stopping when aborted as rules should (their settlements never commit). */
export const STALLING_RULES: readonly Rule[] = [
  // Fails before it settles.
  { name: 'slow-only', onError: 'fail-open', run: (ctx) => untilAborted(ctx.signal) },
  // Settles first, then does slow work (a counter, an audit call): the freeze rolls its settlement back.
  {
    name: 'settle-then-slow',
    onError: 'fail-open',
    async run(ctx) {
      ctx.settle(Verdicts.DEFAULT);
      await untilAborted(ctx.signal);
    },
  },
];
