import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { firstAction, invoke, startFaultStack, UPDATES } from './fault-harness.js';

// Fault round 43 (scenario 2): the DynamoDB counter store of the rate rules (rate limit, mail storm) answering
// with errors: 500, throttling, a connection reset, no answer at all, a garbled answer (not JSON, cut JSON, a 200
// whose counters are missing or not numbers). docs/rules.md: `fail-closed` settles the rule's verdict, `fail-open`
// (the default) lets the message through with a warning. A garbled 200 is the store not answering too: it must
// neither let a message through a fail-closed limit (a missing count read as 0) nor refuse one under fail-open (a
// count read as NaN). Found by this round and closed (packages/rules/src/rate/store.ts, `answered`): `{}`, and
// counters of the wrong type, were read as a count of 0 (fail-closed let the message through); counters that
// were not numbers were read as NaN (fail-open refused the message, and the mail storm held the group).

type Fault =
  | 'none'
  | 'server-error'
  | 'throttle'
  | 'reset'
  | 'hang'
  | 'not-json'
  | 'cut-json'
  | 'empty-object'
  | 'not-numbers'
  | 'wrong-types';
const FAULTS: Exclude<Fault, 'none'>[] = [
  'server-error',
  'throttle',
  'reset',
  'hang',
  'not-json',
  'cut-json',
  'empty-object',
  'not-numbers',
  'wrong-types',
];

/** A loopback proxy before dynalite that answers every UpdateItem as `fault` says. */
async function dynamoProxy(upstream: string) {
  const target = new URL(upstream);
  const state = { fault: 'none' as Fault, updates: 0 };
  const json = (res: ServerResponse, status: number, body: string, type?: string) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(body)),
      ...(type ? { 'x-amzn-errortype': type } : {}),
    });
    res.end(body);
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const update = String(req.headers['x-amz-target']).endsWith('.UpdateItem');
      if (update) state.updates++;
      const fault = update ? state.fault : 'none';
      const garbage = { N: 'many' };
      switch (fault) {
        case 'server-error':
          return json(res, 500, '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"}');
        case 'throttle':
          return json(
            res,
            400,
            '{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}',
          );
        case 'reset':
          return res.socket?.destroy();
        case 'hang':
          // Never answered: the rule's store budget (1.5 s by default) decides.
          return;
        case 'not-json':
          return json(res, 200, '<html><body>502 Bad Gateway</body></html>');
        case 'cut-json':
          return json(res, 200, '{"Attributes":{"c0":{"N":"1"},"c1":{"N');
        case 'empty-object':
          return json(res, 200, '{}');
        case 'not-numbers':
          return json(
            res,
            200,
            JSON.stringify({
              Attributes: { c0: garbage, c1: garbage, w0: garbage, w1: garbage, u: garbage },
            }),
          );
        case 'wrong-types':
          return json(
            res,
            200,
            JSON.stringify({
              Attributes: { c0: { S: '1' }, c1: { S: '1' }, w0: { BOOL: true }, u: { S: '0' } },
            }),
          );
      }
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
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.end(body);
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
let proxy: Awaited<ReturnType<typeof dynamoProxy>>;
beforeAll(async () => {
  stack = await startFaultStack(7);
  proxy = await dynamoProxy(stack.dynamo.endpoint);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
});
beforeEach(() => {
  proxy.state.fault = 'none';
});

const message = (n: string) =>
  Buffer.from(
    `From: bob@corp.example\r\nTo: ann@partner.example\r\nSubject: hi ${n}\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n` +
      `Message-ID: <${n}@corp.example>\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
  );

let serial = 0;
async function outbound(policy: 'fail-open' | 'fail-closed', fault: Fault) {
  const n = `f43-rate-${policy}-${fault}-${serial++}`;
  const id = stack.flow.load(message(n));
  const handler = outboundPolicy({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: UPDATES,
    RATE_TABLE: 'wmflow-rate',
    // A limit no test reaches: only the store's failures can refuse a message.
    RATE_LIMITS: JSON.stringify([{ key: 'sender', limit: 1000, window: '1h' }]),
    RATE_STORE_ON_ERROR: policy,
  });
  proxy.state.fault = fault;
  const before = proxy.state.updates;
  const result = await invoke(
    handler,
    makeFlowEvent({
      messageId: id,
      mailFrom: `sender-${n}@corp.example`,
      recipients: ['ann@partner.example'],
      direction: 'OUTBOUND',
    }),
  );
  return { ...result, updates: proxy.state.updates - before };
}

async function storm(policy: 'fail-open' | 'fail-closed', fault: Fault) {
  const n = `f43-storm-${policy}-${fault}-${serial++}`;
  const id = stack.flow.load(
    Buffer.from(
      `From: ann@partner.example\r\nTo: all@corp.example\r\nSubject: hi ${n}\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n` +
        `Message-ID: <${n}@partner.example>\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
    ),
  );
  const handler = guard({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: UPDATES,
    TAG_EXTERNAL: 'false',
    RATE_TABLE: 'wmflow-rate',
    STORM_GROUPS: `all-${serial}@corp.example`,
    STORM_THRESHOLD: '1000',
    RATE_STORE_ON_ERROR: policy,
  });
  proxy.state.fault = fault;
  return invoke(
    handler,
    makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: [`all-${serial}@corp.example`],
    }),
  );
}

describe('rate limit (outbound-policy) with a failing counter store', () => {
  it('healthy store: the message flows under either policy', async () => {
    for (const policy of ['fail-open', 'fail-closed'] as const) {
      const r = await outbound(policy, 'none');
      expect(r.error?.message).toBeUndefined();
      expect(firstAction(r.response)).toBe('DEFAULT');
      expect(r.updates).toBeGreaterThan(0);
    }
  });
  for (const fault of FAULTS) {
    it(`${fault}: fail-closed settles the limit's bounce`, async () => {
      const r = await outbound('fail-closed', fault);
      const facts = JSON.stringify({ error: r.error?.message, response: r.response, updates: r.updates });
      expect(r.updates, facts).toBeGreaterThan(0);
      expect(r.error, facts).toBeUndefined();
      expect(firstAction(r.response), facts).toBe('BOUNCE');
    });
    it(`${fault}: fail-open lets the message through`, async () => {
      const r = await outbound('fail-open', fault);
      const facts = JSON.stringify({ error: r.error?.message, response: r.response, updates: r.updates });
      expect(r.updates, facts).toBeGreaterThan(0);
      expect(r.error, facts).toBeUndefined();
      expect(firstAction(r.response), facts).toBe('DEFAULT');
    });
  }
});

describe('mail storm (guard) with a failing counter store', () => {
  for (const fault of FAULTS) {
    it(`${fault}: fail-closed refuses the group's mail, fail-open delivers it`, async () => {
      const closed = await storm('fail-closed', fault);
      const open = await storm('fail-open', fault);
      const facts = JSON.stringify({ closed, open });
      expect(closed.error, facts).toBeUndefined();
      expect(open.error, facts).toBeUndefined();
      expect(firstAction(closed.response), facts).toBe('BOUNCE');
      expect(firstAction(open.response), facts).toBe('DEFAULT');
    });
  }
});
