import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
} from './fault-harness.js';
import { type Act, type Decide, isComplete, isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 54, what held: the journal's copy (streamed PutObject, or parts' Complete) applied by S3 and its
// answer lost (the connection dropped once the request was read), then the metadata written after it, with and
// without its own answer lost. One copy, byte for byte, and a `<key>.json` that describes it; nothing else.
const t = proxiedStack([JOURNAL, UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
  t.s3p.log.length = 0;
});

const isCopyPut = (req: IncomingMessage) => isPlainPut(req) && !pathOf(req).endsWith('.json');
const isMetadataPut = (req: IncomingMessage) => isPlainPut(req) && pathOf(req).endsWith('.json');
/** `act` for the first request each matcher matches, in turn. */
function firstOf(...steps: [(req: IncomingMessage) => boolean, Act][]): Decide {
  const left = steps.map(() => 1);
  return (req) => {
    const i = steps.findIndex(([match], n) => (left[n] ?? 0) > 0 && match(req));
    if (i === -1) return { do: 'forward' };
    left[i] = 0;
    return (steps[i] as [unknown, Act])[1];
  };
}
const DROP: Act = { do: 'apply-then-drop' };
const STREAMED = 300_000;
const PARTED = 12_000_000;
const CASES: [string, number, () => Decide][] = [
  ['streamed copy applied, its answer lost', STREAMED, () => firstOf([isCopyPut, DROP])],
  [
    'streamed copy and then its metadata applied, both answers lost',
    STREAMED,
    () => firstOf([isCopyPut, DROP], [isMetadataPut, DROP]),
  ],
  ['parts: Complete applied, its answer lost', PARTED, () => firstOf([isComplete, DROP])],
  [
    'parts: Complete and then the metadata applied, both answers lost',
    PARTED,
    () => firstOf([isComplete, DROP], [isMetadataPut, DROP]),
  ],
];

describe('F54 held: the journal copy applied and its answer lost', () => {
  it.each(CASES)(
    '%s: one copy, byte for byte, described by its metadata',
    async (label, size, decide) => {
      const bytes = bigMessage(size, `f54-held-${label}`);
      const id = t.stack.flow.load(bytes);
      if (size === PARTED)
        t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
      t.s3p.decide = decide();
      const run = await invokeUntilAnswered(
        archiver({
          JOURNAL_BUCKET: JOURNAL,
          KEY_TEMPLATE: 'j54h/{messageId}',
          ORGANIZATION_DOMAINS: 'corp.example',
        }),
        makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        4,
      );
      const facts = `answered ${run.answered} after ${run.attempts}; ${describeErrors(run.errors)}; ${t.s3p.log.join(' | ')}`;
      expect(run.answered, facts).toBe(true);
      // The faults did happen: each answer meant to be lost was.
      const dropped = t.s3p.log.filter((line) => line.endsWith('apply-then-drop')).length;
      expect(dropped, facts).toBe(label.includes('both') ? 2 : 1);
      const { problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(
        problems.filter((p) => p.includes(id)),
        facts,
      ).toEqual([]);
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
      expect(keys.sort(), facts).toEqual([`j54h/${id}`, `j54h/${id}.json`]);
    },
    120_000,
  );
});
