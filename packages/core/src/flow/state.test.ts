import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../address.js';
import type { MessageAccess } from '../message/message.js';
import { type Verdict, Verdicts, verdictKey } from '../verdicts.js';
import { FlowState } from './state.js';

// The reference: every snapshot and every restore a full copy (what the chain relies on: a restore brings back
// the state as it was when the snapshot was taken).
class CopyingModel {
  entries = new Map<string, { address: string; verdict?: Verdict }>();
  edits = 0;
  constructor(recipients: string[]) {
    for (const a of recipients) {
      const id = normalizeAddress(a);
      if (!this.entries.has(id)) this.entries.set(id, { address: a });
    }
  }
  decide(address: string, verdict: Verdict, onlyOpen: boolean): boolean {
    const e = this.entries.get(normalizeAddress(address));
    if (!e || (onlyOpen && e.verdict)) return false;
    e.verdict = verdict;
    return true;
  }
  add(address: string, verdict: Verdict | undefined): void {
    const id = normalizeAddress(address);
    if (!this.entries.has(id)) this.entries.set(id, { address: address.trim(), verdict });
  }
  snapshot(): { entries: Map<string, { address: string; verdict?: Verdict }>; edits: number } {
    return { entries: new Map([...this.entries].map(([k, e]) => [k, { ...e }])), edits: this.edits };
  }
  restore(s: ReturnType<CopyingModel['snapshot']>): void {
    this.entries = new Map([...s.entries].map(([k, e]) => [k, { ...e }]));
    this.edits = s.edits;
  }
  final(): [string, string][] {
    return [...this.entries.values()].map((e) => [e.address, verdictKey(e.verdict ?? Verdicts.DEFAULT)]);
  }
}

const ADDRESSES = ['a@corp.example', 'A@Corp.Example', 'b@corp.example', 'c@corp.example', 'x@other.example'];
const VERDICTS: Verdict[] = [
  Verdicts.DEFAULT,
  Verdicts.DROP,
  Verdicts.MOVE_TO_JUNK,
  { type: 'BOUNCE', message: 'no' },
  { type: 'BOUNCE', message: 'other' },
];
const op = fc.oneof(
  fc.record({
    kind: fc.constant('decide' as const),
    a: fc.constantFrom(...ADDRESSES),
    v: fc.constantFrom(...VERDICTS),
    onlyOpen: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('add' as const),
    a: fc.constantFrom(...ADDRESSES),
    v: fc.option(fc.constantFrom(...VERDICTS), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('edit' as const) }),
  fc.record({ kind: fc.constant('snapshot' as const) }),
  fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() }),
);

function newState(recipients: string[]): FlowState {
  return new FlowState({
    direction: 'INBOUND',
    envelope: { mailFrom: 's@x.example', recipients, truncated: false },
    subject: '',
    messageId: 'm',
    invocationId: 'i',
    synchronous: true,
    organizationDomains: ['corp.example'],
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    message: {} as MessageAccess,
  });
}

describe('FlowState snapshots', () => {
  it('restore brings back the state a snapshot was taken of, whether it was copied or handed out again', () => {
    fc.assert(
      fc.property(
        fc.subarray(ADDRESSES.slice(0, 4), { minLength: 1 }),
        fc.array(op, { maxLength: 40 }),
        (recipients, ops) => {
          const state = newState(recipients);
          const model = new CopyingModel(recipients);
          const taken: [ReturnType<FlowState['snapshot']>, ReturnType<CopyingModel['snapshot']>][] = [];
          for (const o of ops) {
            if (o.kind === 'decide') {
              expect(state.decide(o.a, o.v, o.onlyOpen)).toBe(model.decide(o.a, o.v, o.onlyOpen));
            } else if (o.kind === 'add') {
              let threw = false;
              try {
                state.add(o.a, o.v);
              } catch {
                threw = true;
              }
              if (!threw) model.add(o.a, o.v);
              expect(threw).toBe(o.a.endsWith('other.example'));
            } else if (o.kind === 'edit') {
              state.queueEdit({ kind: 'prefix-subject', prefix: '[x] ' });
              model.edits++;
            } else if (o.kind === 'snapshot') {
              taken.push([state.snapshot(), model.snapshot()]);
            } else if (taken.length > 0) {
              const [s, m] = taken[o.pick % taken.length] as (typeof taken)[number];
              state.restore(s);
              model.restore(m);
            }
            const final = [...state.final(Verdicts.DEFAULT)].map(([a, v]) => [a, verdictKey(v)]);
            expect(final).toEqual(model.final());
            expect(state.edits.length).toBe(model.edits);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('hands out the same snapshot while nothing changed, and a new one after any change', () => {
    const state = newState(['a@corp.example']);
    const first = state.snapshot();
    expect(state.snapshot()).toBe(first);
    state.decide('a@corp.example', Verdicts.DROP, false);
    const second = state.snapshot();
    expect(second).not.toBe(first);
    expect(first.entries.get('a@corp.example')?.verdict).toBeUndefined();
    state.queueEdit({ kind: 'prefix-subject', prefix: '[x] ' });
    expect(state.snapshot()).not.toBe(second);
    state.restore(first);
    expect(state.verdictOf('a@corp.example')).toBeUndefined();
    state.decide('a@corp.example', Verdicts.DROP, false);
    expect(first.entries.get('a@corp.example')?.verdict).toBeUndefined(); // the snapshot kept as taken
  });
});
