/**
 * Soak under faults: 1,000 invocations through the archiver, the guard and outbound-policy with seeded
 * random faults between the functions and the local stack (resets mid-body, throttling, 500s, lost
 * answers; emulator faults on the message reads), each event retried as WorkMail does until it is
 * answered. Reports journal objects and deliveries that are truncated, spliced or mismatched (must be 0)
 * and how many invocations were retried. Not a timing benchmark.
 *
 *   node --conditions=wmflow-source --import tsx bench/soak-faults.ts [--count 1000] [--seed 42]
 */
import { parseArgs } from 'node:util';
import { makeFlowEvent } from '@wmflow/core/testing';
import { seededRandom } from '@wmflow/local';
import { archiver } from '../functions/archiver/archiver.js';
import { guard } from '../functions/guard/guard.js';
import { outboundPolicy } from '../functions/outbound-policy/outbound-policy.js';
import {
  assertJournalIntact,
  bigMessage,
  invokeUntilAnswered,
  JOURNAL,
  startFaultStack,
  UPDATES,
} from '../functions/test/fault-harness.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000' }, seed: { type: 'string', default: '42' } },
});
const count = Number(values.count);
const seed = Number(values.seed);
const random = seededRandom(seed);
const stack = await startFaultStack(seed);
stack.proxies?.s3.configure(`seed=${seed},reset=0.03,throttle=0.04,error=0.02,lost=0.03`);
stack.proxies?.flow.configure(`seed=${seed + 1},reset=0.03,throttle=0.04,error=0.02,lost=0.03`);

const base = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES };
const functions = {
  archiver: archiver({ ...base, JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'soak/{messageId}' }),
  guard: guard(base),
  'outbound-policy': outboundPolicy({ ...base, DISCLAIMER_TEXT: 'Confidential: for the addressee only.' }),
};
const names = Object.keys(functions) as (keyof typeof functions)[];
const originals = new Map<string, Buffer>();
const tally = {
  invocations: 0,
  events: 0,
  retried: 0,
  unanswered: 0,
  truncated: 0,
  spliced: 0,
  mismatched: 0,
  emulatorFaults: 0,
};
const problems: string[] = [];
const started = Date.now();

for (let i = 0; i < count; i++) {
  const name = names[i % names.length] as keyof typeof functions;
  const size =
    random() < 0.1 ? 1_500_000 + Math.floor(random() * 600_000) : 2_000 + Math.floor(random() * 200_000);
  const outbound = name === 'outbound-policy';
  const bytes = bigMessage(size, `soak-${seed}-${i}`);
  const id = stack.flow.load(bytes);
  originals.set(id, bytes);
  const roll = random();
  if (roll < 0.05) {
    stack.flow.injectFault(
      { kind: 'broken-stream', afterBytes: Math.floor(random() * size) },
      { messageId: id, times: 1 },
    );
    tally.emulatorFaults++;
  } else if (roll < 0.08) {
    // The second read of a large message (after a header-only read) is not the same message.
    // (changed-content alters the whole message: a change only past the bytes held would be a consistent
    // second version, indistinguishable from a message served that way.)
    const fault =
      random() < 0.5 ? { kind: 'short-body' as const } : { kind: 'changed-content' as const, bytes: size };
    stack.flow.injectFault(fault, { messageId: id, skip: 1, times: 1 });
    tally.emulatorFaults++;
  } else if (roll < 0.1 && name !== 'archiver') {
    stack.flow.injectFault({ kind: 'lost-answer' }, { messageId: id, operation: 'put', times: 1 });
    tally.emulatorFaults++;
  }
  const event = makeFlowEvent({
    messageId: id,
    direction: outbound ? 'OUTBOUND' : 'INBOUND',
    mailFrom: outbound ? 'dan@corp.example' : 'ann@partner.example',
    recipients: [outbound ? 'orders@shop.example' : 'bob@corp.example'],
  });
  const run = await invokeUntilAnswered(functions[name], event, 8);
  tally.events++;
  tally.invocations += run.attempts;
  if (run.attempts > 1) tally.retried += run.attempts - 1;
  if (!run.answered) tally.unanswered++;
  if (name !== 'archiver') checkDelivery(id, bytes, name);
  if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${count} events\n`);
}

function checkDelivery(id: string, original: Buffer, name: string): void {
  const history = stack.flow.history(id);
  const out = history.at(-1)?.content ?? Buffer.alloc(0);
  if (history.length === 1) return; // delivered unedited: the original itself
  const attachment = original.subarray(original.indexOf('Content-Transfer-Encoding: base64'));
  if (out.length < original.length) {
    tally.truncated++;
    problems.push(`${name} ${id}: delivered ${out.length} of ${original.length} bytes`);
  } else if (!out.includes(attachment)) {
    tally.mismatched++;
    problems.push(`${name} ${id}: delivered message does not hold the original attachment whole`);
  }
  const versions = new Set(history.slice(1).map((v) => v.content.toString('latin1')));
  if (versions.size > 1) {
    tally.spliced++;
    problems.push(`${name} ${id}: ${versions.size} different updates applied`);
  }
}

const journal = await assertJournalIntact(stack, originals);
for (const p of journal.problems) {
  if (p.includes('truncated')) tally.truncated++;
  else tally.mismatched++;
  problems.push(`archiver ${p}`);
}
const proxies = { flow: stack.proxies?.flow.stats(), s3: stack.proxies?.s3.stats() };
await stack.stop();
const report = {
  seed,
  events: tally.events,
  invocations: tally.invocations,
  retriedInvocations: tally.retried,
  unanswered: tally.unanswered,
  journalCopies: journal.copies.length,
  truncated: tally.truncated,
  spliced: tally.spliced,
  mismatched: tally.mismatched,
  emulatorFaults: tally.emulatorFaults,
  proxyFaults: proxies,
  seconds: Math.round((Date.now() - started) / 1000),
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
for (const p of problems.slice(0, 20)) process.stderr.write(`problem: ${p}\n`);
process.exitCode = tally.truncated + tally.spliced + tally.mismatched > 0 ? 1 : 0;
