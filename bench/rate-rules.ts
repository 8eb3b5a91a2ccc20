/**
 * Overhead of rate rules: the ten-rule inbound policy alone, with one rate rule (per sender), and with
 * three (per sender, per sender domain, mail storm on the group), each message counted in the local
 * DynamoDB (dynalite, in this process) through the real SDK client. Reports messages per second of
 * each (median of interleaved rounds), the ratios to the policy alone, and the store requests per
 * message. Limits are high, so every message runs the whole policy.
 *
 *   node --conditions=wmflow-source --import tsx bench/rate-rules.ts [--messages 300] [--rounds 3]
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type FlowHandler, flow, type Rule } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { startLocalStack } from '@wmflow/local';
import { mailStorm, rateLimit } from '@wmflow/rules';
import { quietLogger } from './handlers/quiet-logger.js';
import { policyRules } from './handlers/wmflow-policy.js';
import { ratio, summarize } from './lib/stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values } = parseArgs({
  options: { messages: { type: 'string', default: '300' }, rounds: { type: 'string', default: '3' } },
});
const MESSAGES = Number(values.messages);
const ROUNDS = Number(values.rounds);
const GROUP = 'all-staff@corp.example';

const stack = await startLocalStack({ buckets: ['bench'] });
const dynamo = new DynamoDBClient({
  endpoint: stack.dynamo.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const store = { table: 'wmflow-rate', dynamo, storeTimeoutMs: 10_000 } as const;
const high = 1_000_000;
const variants: Record<string, Rule[]> = {
  'policy alone': [],
  '+1 rate rule': [rateLimit({ ...store, key: 'sender', limit: high, window: '1h', name: 'b1-sender' })],
  '+3 rate rules': [
    rateLimit({ ...store, key: 'sender', limit: high, window: '1h', name: 'b3-sender' }),
    rateLimit({ ...store, key: 'sender-domain', limit: high, window: '1h', name: 'b3-domain' }),
    mailStorm({ ...store, recipients: [GROUP], threshold: high, name: 'b3-storm' }),
  ],
};
const handlers = Object.fromEntries(
  Object.entries(variants).map(([name, extra]) => [
    name,
    flow({
      logger: quietLogger,
      organizationDomains: ['corp.example'],
      rules: [...extra, ...policyRules] as Rule<'INBOUND'>[],
      clients: { messageFlow: stack.messageFlow, s3: stack.s3 },
    }),
  ]),
) as Record<string, FlowHandler>;

const dir = join(import.meta.dirname, '../samples/eml');
const files = (await readdir(dir)).filter((f) => f.endsWith('.eml')).sort();
const fixtures = await Promise.all(files.map((f) => readFile(join(dir, f))));
const senders = Array.from({ length: 20 }, (_, i) => `user${i}@sender${i % 5}.example`);

/** Messages per second of one variant over MESSAGES messages, and store requests per message. */
async function measure(name: string): Promise<{ perSecond: number; requests: number }> {
  const handler = handlers[name] as FlowHandler;
  const events = Array.from({ length: MESSAGES }, (_, i) =>
    makeFlowEvent({
      messageId: stack.flow.load(fixtures[i % fixtures.length] as Buffer),
      mailFrom: senders[i % senders.length] as string,
      recipients: [GROUP, 'alice@corp.example'],
    }),
  );
  const before = stack.dynamo.requests;
  const started = performance.now();
  for (const event of events) await handler(event, lambdaContext());
  const ms = performance.now() - started;
  for (const event of events) stack.flow.forget(event.messageId);
  return { perSecond: (MESSAGES / ms) * 1000, requests: (stack.dynamo.requests - before) / MESSAGES };
}

const results = new Map<string, { perSecond: number[]; requests: number[] }>();
for (const name of Object.keys(variants)) await measure(name); // warm-up: JIT, connections, first windows
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(variants)) {
    const r = await measure(name);
    const entry = results.get(name) ?? { perSecond: [], requests: [] };
    entry.perSecond.push(r.perSecond);
    entry.requests.push(r.requests);
    results.set(name, entry);
  }
}
const base = summarize(results.get('policy alone')?.perSecond ?? []).median;
const lines = [
  `rate rules: ${MESSAGES} messages × ${ROUNDS} rounds, ten-rule inbound policy, local DynamoDB (dynalite) in-process`,
  '| variant | msgs/s (median, min–max) | throughput vs policy alone | store requests / message |',
  '| --- | --- | --- | --- |',
];
for (const [name, r] of results) {
  const s = summarize(r.perSecond);
  const requests = summarize(r.requests).median;
  lines.push(
    `| ${name} | ${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)}) | ${ratio(s.median, base)} | ${requests.toFixed(2)} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
dynamo.destroy();
await stack.stop();
