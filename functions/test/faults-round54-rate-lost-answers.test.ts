import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { firstAction, invoke, startFaultStack, UPDATES } from './fault-harness.js';

// Fault round 54, what held: the rate limit's DynamoDB counters when UpdateItem is applied and its answer lost (the
// connection dropped once dynalite answered), for the SDK's first attempt or for every attempt of a count, and when
// the attempt that opens a window's slot is the one lost. Each message is counted once: a lost answer is neither
// counted twice (a message under the limit refused) nor left uncounted (a message past it let through), and
// WorkMail's retry of a message gets the answer its first attempt got.

/** A loopback proxy before dynalite that forwards each UpdateItem and drops the answer of the next `drop` of them. */
async function droppingProxy(upstream: string) {
  const target = new URL(upstream);
  const state = { drop: 0, dropped: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const update = String(req.headers['x-amz-target']).endsWith('.UpdateItem');
      const drop = update && state.drop > 0;
      if (drop) state.drop--;
      const out = request({
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      });
      out.on('error', () => res.destroy());
      out.on('response', (answer) => {
        if (drop) {
          // Applied by the store, its answer never reaches the client.
          answer.resume();
          answer.on('end', () => {
            state.dropped++;
            res.socket?.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let stack: LocalStack;
let proxy: Awaited<ReturnType<typeof droppingProxy>>;
beforeAll(async () => {
  stack = await startFaultStack(54);
  proxy = await droppingProxy(stack.dynamo.endpoint);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
});

const message = (n: string) =>
  Buffer.from(
    `From: bob@corp.example\r\nTo: ann@partner.example\r\nSubject: hi ${n}\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n` +
      `Message-ID: <${n}@corp.example>\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
  );

describe('F54 held: rate counters whose UpdateItem answers are lost', () => {
  // drop: UpdateItem answers lost per message (1: the SDK's first attempt; 2: both of the SDK's attempts, so the
  // store gives up and the message flows fail-open, counted).
  it.each([1, 2])(
    'limit 2, each message losing %i answer(s): each counted once, at its rank',
    async (drop) => {
      const sender = `sender-f54-${drop}@corp.example`;
      const handler = outboundPolicy({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        RATE_TABLE: 'wmflow-rate',
        RATE_LIMITS: JSON.stringify([{ key: 'sender', limit: 2, window: '1h', windowType: 'fixed' }]),
      });
      const events = ['a', 'b', 'c', 'd'].map((n) =>
        makeFlowEvent({
          messageId: stack.flow.load(message(`f54-rate-${drop}-${n}`)),
          mailFrom: sender,
          recipients: ['ann@partner.example'],
          direction: 'OUTBOUND',
        }),
      );
      const answers: (string | undefined)[] = [];
      for (const event of events) {
        proxy.state.drop = drop;
        const { response, error } = await invoke(handler, event);
        answers.push(error ? `error ${error.name}` : firstAction(response));
      }
      proxy.state.drop = 0;
      expect(proxy.state.dropped).toBeGreaterThanOrEqual(4 * drop);
      // Every answer of a count lost: the store could not answer, and fail-open (the default) lets each through.
      expect(answers).toEqual(
        drop === 1
          ? ['DEFAULT', 'DEFAULT', 'BOUNCE', 'BOUNCE']
          : ['DEFAULT', 'DEFAULT', 'DEFAULT', 'DEFAULT'],
      );
      // WorkMail's retries (the same invocationIds) find each message counted once, at its rank.
      const retries: (string | undefined)[] = [];
      for (const event of events) retries.push(firstAction((await invoke(handler, event)).response));
      expect(retries).toEqual(['DEFAULT', 'DEFAULT', 'BOUNCE', 'BOUNCE']);
    },
    60_000,
  );
});
