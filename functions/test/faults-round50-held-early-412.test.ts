import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
} from './fault-harness.js';
import { stackBehind } from './scripted-proxy.js';

// Fault round 50, held: S3 answers the streamed copy's conditional PutObject 412 as soon as its head has arrived,
// before the body, and keeps the connection (it reads the rest of the body and drops it, as HTTP/1.1 lets a server
// do). The journal then reads the stored copy back. The client must either close that connection or send the whole
// body before another request on it: a request begun inside the unsent rest of the body would be spliced into it
// (read by S3 as body bytes, and the rest of the body as a request). A TCP proxy before the local S3 answers the
// first such PUT so, drains the body by its Content-Length, and forwards whatever follows on that connection to S3,
// recording where it began.
interface EarlyProxy {
  endpoint: string;
  armed: boolean;
  /** For the connection answered early: the body bytes still due after the answer, and what followed them. */
  seen?: { due: number; drained: number; next: string };
  close(): Promise<void>;
}

async function earlyProxy(upstream: string): Promise<EarlyProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const self: EarlyProxy = { endpoint: '', armed: false, close: async () => {} };
  const forward = (client: Socket, first: Buffer) => {
    const out = connect(Number(target.port), target.hostname);
    sockets.add(out);
    out.on('close', () => sockets.delete(out));
    out.on('error', () => client.destroy());
    client.on('error', () => out.destroy());
    out.write(first);
    client.pipe(out);
    out.pipe(client);
  };
  const server = createServer((client) => {
    let head = Buffer.alloc(0);
    const onHead = (data: Buffer) => {
      head = Buffer.concat([head, data]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onHead);
      const text = head.subarray(0, end).toString('latin1');
      const copyPut =
        /^PUT /.test(text) && /\r\nif-none-match: \*/i.test(text) && !/^PUT \S*\.json/.test(text);
      if (!self.armed || !copyPut) return forward(client, head);
      self.armed = false;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? 0);
      const seen = { due: length - (head.length - end - 4), drained: 0, next: '' };
      self.seen = seen;
      client.write(
        'HTTP/1.1 412 Precondition Failed\r\nContent-Type: application/xml\r\nContent-Length: 0\r\n\r\n',
      );
      const onBody = (more: Buffer) => {
        const take = Math.min(seen.due - seen.drained, more.length);
        seen.drained += take;
        if (seen.drained < seen.due) return;
        // The body is whole: what follows is the next request on this connection, forwarded to S3.
        client.off('data', onBody);
        const next = (first: Buffer) => {
          seen.next = first.subarray(0, 1024).toString('latin1');
          forward(client, first);
        };
        const rest = more.subarray(take);
        if (rest.length > 0) next(rest);
        else client.once('data', next);
      };
      client.on('data', onBody);
    };
    client.on('data', onHead);
    client.on('error', () => {});
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  self.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return self;
}

const early = stackBehind(earlyProxy, [JOURNAL, UPDATES]);

describe('F50 held: the copy PutObject answered 412 before its body was sent', () => {
  it('no request begins inside the rest of the body; the journal ends holding the message whole', async () => {
    const bytes = bigMessage(300_000, 'f50-held-early-412');
    const id = early.stack.flow.load(bytes);
    early.s3.armed = true;
    const run = await invokeUntilAnswered(
      archiver({
        JOURNAL_BUCKET: JOURNAL,
        KEY_TEMPLATE: 'j50e/{messageId}',
        ORGANIZATION_DOMAINS: 'corp.example',
      }),
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      3,
    );
    expect(early.s3.armed).toBe(false);
    const seen = early.s3.seen;
    // Either the connection ended before the body was whole (nothing more on it), or the next request began right
    // after the body's last byte.
    if (seen && seen.drained >= seen.due && seen.next !== '')
      expect(seen.next).toMatch(/^(?:GET|PUT|POST|HEAD|DELETE) \/\S* HTTP\/1\.1\r\n/);
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    const { problems, copies } = await assertJournalIntact(early.stack, new Map([[id, bytes]]));
    expect(problems.filter((p) => p.includes(id))).toEqual([]);
    expect(copies.filter((k) => k.includes(id))).toEqual([`j50e/${id}`]);
  }, 120_000);
});
