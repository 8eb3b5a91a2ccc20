import { isInternal, normalizeAddress } from '../address.js';
import type { Edit } from '../edit/edits.js';
import { VerdictError } from '../errors.js';
import type { MessageAccess } from '../message/message.js';
import { assertVerdictAllowed, type Verdict } from '../verdicts.js';
import type { Direction } from './direction.js';
import type { Envelope, FlowLogger, Rule } from './types.js';

/** One rule's effect, as logged. */
export type FiredRule = {
  rule: string;
  /** Recipients settled or overridden, and with what. */
  settled: Record<string, string>;
  notes: string[];
  /** True when the rule ran in audit mode and nothing was applied. */
  audit: boolean;
};

/** A recipient and its verdict so far. */
export interface Entry {
  address: string;
  verdict?: Verdict;
  added: boolean;
}

/** The state at one moment, to roll a failed rule back. */
export interface Snapshot {
  entries: Map<string, Entry>;
  edits: number;
}

/** Settings of one invocation's state. */
export interface FlowStateInit {
  direction: Direction;
  envelope: Envelope;
  subject: string;
  messageId: string;
  invocationId: string;
  synchronous: boolean;
  organizationDomains: readonly string[];
  logger: FlowLogger;
  message: MessageAccess;
  /** The engine's cap on recipients for this direction (WorkMail: 500 outbound); none when absent. */
  maxRecipients?: number;
  /** When the deadline guard answers (`Date.now()` time); none (infinite) when absent. */
  deadline?: number;
  /** When the engine received the message, as the engine states it (see {@link RuleContext.receivedAt}). */
  receivedAt?: number;
}

/**
 * The per-invocation record of verdicts: recipients keyed by normalized address,
 * with snapshots so a failing rule can be rolled back and the deadline guard can
 * answer with what finished rules decided.
 */
export class FlowState {
  readonly controller = new AbortController();
  readonly shared = new Map<string | symbol, unknown>();
  readonly fired: FiredRule[] = [];
  /** Edits queued by the rules, in order. */
  readonly edits: Edit[] = [];
  private entries = new Map<string, Entry>();
  private frozen = false;
  /** Bumped by every change of the entries: a state unchanged since its last snapshot hands that one out again. */
  private version = 0;
  private last?: { snapshot: Snapshot; version: number };
  /** The rule running now, for the deadline guard. */
  running?: Rule;
  /** Index of the rule running or next to run; the number of rules once the chain has ended. */
  reached = 0;
  /** The state as the last finished rule left it: what the deadline guard answers with. */
  checkpoint: Snapshot;

  constructor(readonly init: FlowStateInit) {
    for (const address of init.envelope.recipients) {
      const id = normalizeAddress(address);
      if (!this.entries.has(id)) this.entries.set(id, { address, added: false });
    }
    this.checkpoint = this.snapshot();
  }

  get recipients(): string[] {
    return [...this.entries.values()].map((e) => e.address);
  }

  openCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.verdict) n++;
    return n;
  }

  verdictOf(address: string): Verdict | undefined {
    return this.entries.get(normalizeAddress(address))?.verdict;
  }

  isKnown(address: string): boolean {
    return this.entries.has(normalizeAddress(address));
  }

  /** Sets a verdict; `onlyOpen` keeps settled recipients as they are. Returns whether it changed anything. */
  decide(address: string, verdict: Verdict, onlyOpen: boolean): boolean {
    assertVerdictAllowed(verdict, this.init.direction);
    const entry = this.entries.get(normalizeAddress(address));
    if (!entry || this.frozen || (onlyOpen && entry.verdict)) return false;
    entry.verdict = verdict;
    this.version++;
    return true;
  }

  add(address: string, verdict: Verdict | undefined): void {
    if (this.frozen) return;
    const id = normalizeAddress(address);
    if (!/^[^@\s<>]+@[^@\s<>]+$/.test(address.trim())) throw new VerdictError(`not an address: ${address}`);
    if (this.init.direction === 'INBOUND' && !isInternal(address, this.init.organizationDomains)) {
      throw new VerdictError(
        `inbound mail can only be copied to the organization's domains (${this.init.organizationDomains.join(', ') || 'none configured'}): ${address}`,
      );
    }
    const max = this.init.maxRecipients;
    if (max !== undefined && this.entries.size >= max) {
      throw new VerdictError(`${this.init.direction.toLowerCase()} mail has at most ${max} recipients`);
    }
    if (verdict) assertVerdictAllowed(verdict, this.init.direction);
    if (!this.entries.has(id)) {
      this.entries.set(id, { address: address.trim(), added: true, verdict });
      this.version++;
    }
  }

  /**
   * The state now, for {@link FlowState.restore} and the deadline guard. Most rules change nothing: a state
   * unchanged since the last snapshot returns that snapshot (never changed afterwards) instead of a copy.
   */
  snapshot(): Snapshot {
    const last = this.last;
    if (last && last.version === this.version && last.snapshot.edits === this.edits.length)
      return last.snapshot;
    const snapshot = { entries: copyEntries(this.entries), edits: this.edits.length };
    this.last = { snapshot, version: this.version };
    return snapshot;
  }

  restore(snapshot: Snapshot): void {
    if (this.frozen) return;
    // A copy: the snapshot stays as it was taken, as it may be handed out again.
    this.entries = copyEntries(snapshot.entries);
    this.edits.length = snapshot.edits;
    this.version++;
  }

  queueEdit(edit: Edit): void {
    if (!this.frozen) this.edits.push(edit);
  }

  /**
   * Stops all further changes (the deadline guard has answered) and aborts rules in flight; `last` makes the
   * final changes to the state as the last finished rule left it (the undecided protections' verdicts).
   */
  freeze(last?: () => void): void {
    this.entries = copyEntries(this.checkpoint.entries);
    this.edits.length = this.checkpoint.edits;
    last?.();
    this.frozen = true;
    this.controller.abort(new Error('deadline reached'));
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** Final verdicts: open recipients get `fallback`. */
  final(fallback: Verdict): Map<string, Verdict> {
    return new Map([...this.entries.values()].map((e) => [e.address, e.verdict ?? fallback]));
  }
}

function copyEntries(entries: Map<string, Entry>): Map<string, Entry> {
  const copy = new Map<string, Entry>();
  for (const [id, e] of entries) copy.set(id, { ...e });
  return copy;
}
