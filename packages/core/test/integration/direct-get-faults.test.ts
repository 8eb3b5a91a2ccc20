import { createHash } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreEnv } from '../../../../test-support/restore-env.js';
import { defaultClients, LazyMessage, resetDefaultClients, workmailSource } from '../../src/index.js';

// The direct GET (direct-get.ts) against a loopback server that answers badly on purpose: a body cut by a
// reset or a clean close, a chunked body whose last chunk never comes, a body longer than announced with
// another answer behind it on the same connection, a body that ends only where the connection closes, a redirect, a stall past the invocation's abort. A read
// either gives the exact message or fails, and the failure stays (a second read of the message throws too).
const CRLF = '\r\n';
const BODY = Buffer.from(
  ['From: a@partner.example', 'To: b@corp.example', 'Subject: direct', '', 'x'.repeat(200_000), ''].join(
    CRLF,
  ),
);
type Answer = (socket: net.Socket) => void;
const head = (h: string) => `HTTP/1.1 200 OK${CRLF}${h}${CRLF}${CRLF}`;
const answers: Record<string, Answer> = {
  // every byte but the last, then the connection reset
  'reset-late': (s) => {
    s.write(head(`Content-Length: ${BODY.length}`));
    s.write(BODY.subarray(0, BODY.length - 1), () => s.resetAndDestroy());
  },
  // every byte but the last, then a clean close
  'fin-short': (s) => {
    s.write(head(`Content-Length: ${BODY.length}`));
    s.end(BODY.subarray(0, BODY.length - 1));
  },
  // chunked, no length: the last chunk never comes, clean close
  'chunked-cut': (s) => {
    s.write(head('Transfer-Encoding: chunked'));
    s.end(`${(BODY.length - 10).toString(16)}${CRLF}${BODY.subarray(0, BODY.length - 10)}${CRLF}`);
  },
  // chunked, whole
  'chunked-whole': (s) => {
    s.write(head('Transfer-Encoding: chunked'));
    s.write(`${BODY.length.toString(16)}${CRLF}`);
    s.write(BODY);
    s.write(`${CRLF}0${CRLF}${CRLF}`);
  },
  // no length, not chunked: the body ends where the connection closes, here early
  'eof-short': (s) => {
    s.end(
      Buffer.concat([
        Buffer.from(`HTTP/1.1 200 OK${CRLF}Connection: close${CRLF}${CRLF}`),
        BODY.subarray(0, 1000),
      ]),
    );
  },
  // more bytes than announced, then another "response" on the same connection
  'too-long': (s) => {
    s.write(head(`Content-Length: ${BODY.length}`));
    s.write(Buffer.concat([BODY, Buffer.from(`${head('Content-Length: 5')}EVIL!`)]));
  },
  redirect: (s) => {
    s.write(
      `HTTP/1.1 307 Temporary Redirect${CRLF}Location: http://127.0.0.1:9/messages/other${CRLF}Content-Length: 0${CRLF}${CRLF}`,
    );
  },
  // headers, part of the body, then nothing
  stall: (s) => {
    s.write(head(`Content-Length: ${BODY.length}`));
    s.write(BODY.subarray(0, 1000));
  },
  whole: (s) => {
    s.write(head(`Content-Length: ${BODY.length}`));
    s.write(BODY);
  },
  // a range of the message, as if asked for one (wmflow never asks): its length agrees with what it sends
  partial: (s) => {
    s.write(
      `HTTP/1.1 206 Partial Content${CRLF}Content-Range: bytes 0-999/${BODY.length}${CRLF}Content-Length: 1000${CRLF}${CRLF}`,
    );
    s.write(BODY.subarray(0, 1000));
  },
  // a 200 carrying a range's header: not the whole message either
  'ranged-200': (s) => {
    s.write(head(`Content-Range: bytes 0-999/${BODY.length}${CRLF}Content-Length: 1000`));
    s.write(BODY.subarray(0, 1000));
  },
  // a 200 with nothing in it: a message has at least its header block
  empty: (s) => s.write(head('Content-Length: 0')),
  'empty-chunked': (s) => s.write(`${head('Transfer-Encoding: chunked')}0${CRLF}${CRLF}`),
};
const seen: string[] = [];
const sockets = new Set<net.Socket>();
let server: net.Server;
const saved = { ...process.env };
beforeAll(async () => {
  server = net.createServer((socket) => {
    let buffered = '';
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      for (let end = buffered.indexOf(CRLF + CRLF); end >= 0; end = buffered.indexOf(CRLF + CRLF)) {
        const request = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const id = /GET \/messages\/([^ ]+) /.exec(request)?.[1] ?? '';
        seen.push(id);
        (
          answers[id] ??
          ((s: net.Socket) =>
            s.end(
              `HTTP/1.1 404 Not Found${CRLF}x-amzn-errortype: ResourceNotFoundException${CRLF}Content-Length: 2${CRLF}${CRLF}{}`,
            ))
        )(socket);
      }
    });
    socket.on('error', () => {});
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_MAX_ATTEMPTS: '1',
  });
  resetDefaultClients();
});
afterAll(async () => {
  restoreEnv(saved);
  resetDefaultClients();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Reads the message twice (the second read must repeat the first's outcome): 'whole' or the error's name and reason. */
async function read(id: string, signal?: AbortSignal): Promise<string[]> {
  const message = new LazyMessage(workmailSource(defaultClients().messageFlow, id, signal));
  const once = () =>
    message.bytes().then(
      (bytes) =>
        bytes.length === BODY.length && sha(bytes) === sha(BODY) ? 'whole' : `other ${bytes.length}`,
      (error: Error & { reason?: string }) => (error.reason ? `${error.name} ${error.reason}` : error.name),
    );
  try {
    return [await once(), await once()];
  } finally {
    await message.close();
  }
}

describe('the direct GetRawMessageContent under a server that answers badly', () => {
  it('fails a body cut by a reset or a clean close, or a chunked body cut short, and stays failed', async () => {
    for (const id of ['reset-late', 'fin-short', 'chunked-cut']) {
      expect(await read(id), id).toEqual(['MessageReadError source', 'MessageReadError source']);
    }
  });

  it('reads a whole chunked body, and only the announced bytes of a longer one, which never reach the next read', async () => {
    expect(await read('chunked-whole')).toEqual(['whole', 'whole']);
    expect(await read('too-long')).toEqual(['whole', 'whole']);
    seen.length = 0;
    expect(await read('whole')).toEqual(['whole', 'whole']);
    expect(seen).toEqual(['whole']); // asked once, answered by the server, not by bytes left on a connection
  });

  it('refuses a body delimited only by the connection closing (a clean close could have cut it), through send() too', async () => {
    expect(await read('eof-short')).toEqual(['TransientError', 'TransientError']);
    const sdk = new WorkMailMessageFlowClient({ maxAttempts: 1 }); // an injected client: its send() reads
    const message = new LazyMessage(workmailSource(sdk, 'eof-short'));
    await expect(message.bytes()).rejects.toThrow(/neither a length nor chunked/);
    await message.close();
    sdk.destroy();
  });

  it('refuses a part of the message (206, or a Content-Range) and an empty answer, through send() too', async () => {
    for (const id of ['partial', 'ranged-200']) {
      expect(await read(id), id).toEqual(['TransientError', 'TransientError']);
      const sdk = new WorkMailMessageFlowClient({ maxAttempts: 1 });
      const message = new LazyMessage(workmailSource(sdk, id));
      await expect(message.bytes(), id).rejects.toThrow(/part of the message|range/i);
      await message.close();
      sdk.destroy();
    }
    for (const id of ['empty', 'empty-chunked']) {
      expect(await read(id), id).toEqual(['MessageReadError empty', 'MessageReadError empty']);
    }
  });

  it('does not follow a redirect: the SDK call it falls back to fails', async () => {
    seen.length = 0;
    const reads = await read('redirect');
    expect(reads.every((r) => r !== 'whole' && !r.startsWith('other'))).toBe(true);
    // Each read (a failed open is not kept: a later read asks again): the direct GET, then send(); nothing
    // was asked at the Location.
    expect(seen).toEqual(['redirect', 'redirect', 'redirect', 'redirect']);
  });

  it('ends a read stalled mid-body when the invocation aborts, with an error, not a short message', async () => {
    const controller = new AbortController();
    const message = new LazyMessage(workmailSource(defaultClients().messageFlow, 'stall', controller.signal));
    const reading = message.bytes().then(
      () => 'whole',
      (error: Error & { reason?: string }) => `${error.name} ${error.reason}`,
    );
    // The abort comes once the server has sent its first bytes and stalls (no timing: the spool has them).
    while (seen.filter((id) => id === 'stall').length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await reading).toBe('MessageReadError source');
    await message.close();
  });
});
