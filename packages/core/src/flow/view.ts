import { normalizeAddress } from '../address.js';
import { type Edit, EditQueue, type MessageEditor } from '../edit/edits.js';
import { WmflowError } from '../errors.js';
import type { MessageAccess } from '../message/message.js';
import { assertVerdictAllowed, type Verdict, verdictKey } from '../verdicts.js';
import type { Direction } from './direction.js';
import type { FiredRule, FlowState } from './state.js';
import type { Envelope, FlowLogger, RuleContext } from './types.js';

/**
 * The context one rule sees: the flow state seen through the rule's scope
 * (pilot group) and mode (apply or audit).
 */
export class RuleView<D extends Direction = Direction> implements RuleContext<D> {
  private editor?: EditQueue;

  constructor(
    private readonly flow: FlowState,
    private readonly record: FiredRule,
    private readonly inScope: (address: string) => boolean = () => true,
  ) {}

  get direction(): D {
    return this.flow.init.direction as D;
  }
  get envelope(): Envelope {
    return this.flow.init.envelope;
  }
  get subject(): string {
    return this.flow.init.subject;
  }
  get messageId(): string {
    return this.flow.init.messageId;
  }
  get invocationId(): string {
    return this.flow.init.invocationId;
  }
  get receivedAt(): number | undefined {
    return this.flow.init.receivedAt;
  }
  get synchronous(): boolean {
    return this.flow.init.synchronous;
  }
  get organizationDomains(): readonly string[] {
    return this.flow.init.organizationDomains;
  }
  get logger(): FlowLogger {
    return this.flow.init.logger;
  }
  get message(): MessageAccess {
    return this.flow.init.message;
  }
  get fired(): readonly FiredRule[] {
    return this.flow.fired;
  }
  get edit(): MessageEditor {
    this.editor ??= new EditQueue((edit) => this.queue(edit));
    return this.editor;
  }
  get signal(): AbortSignal {
    return this.flow.controller.signal;
  }
  get deadline(): number {
    return this.flow.init.deadline ?? Number.POSITIVE_INFINITY;
  }
  get state(): Map<string | symbol, unknown> {
    return this.flow.shared;
  }
  get audit(): boolean {
    return this.record.audit;
  }
  get recipients(): readonly string[] {
    return this.flow.recipients.filter(this.inScope);
  }
  get open(): readonly string[] {
    return this.recipients.filter((r) => !this.flow.verdictOf(r));
  }

  verdictOf(recipient: string): Verdict | undefined {
    return this.flow.verdictOf(recipient);
  }

  settle(verdict: Verdict, recipients?: readonly string[]): string[] {
    return this.apply(verdict, recipients, true);
  }

  override(verdict: Verdict, recipients?: readonly string[]): string[] {
    return this.apply(verdict, recipients, false);
  }

  addRecipient(address: string, verdict?: Verdict): void {
    if (!this.record.audit) this.flow.add(address, verdict);
    this.record.notes.push(`add recipient ${address}${verdict ? ` (${verdictKey(verdict)})` : ''}`);
  }

  note(reason: string): void {
    this.record.notes.push(reason);
  }

  /** A view of the same rule limited to recipients `filter` accepts, within this view's scope. */
  narrow(filter: (address: string) => boolean): RuleView<D> {
    return new RuleView<D>(this.flow, this.record, (a) => this.inScope(a) && filter(a));
  }

  /** A view of the same rule in audit mode: decisions are recorded, not applied. */
  audited(): RuleView<D> {
    this.record.audit = true;
    return new RuleView<D>(this.flow, this.record, this.inScope);
  }

  private queue(edit: Edit): boolean {
    this.record.notes.push(`edit ${edit.kind}${'name' in edit ? ` ${edit.name}` : ''}`);
    // A removal's or a tag's fallback covers the recipients this rule could decide when it asked.
    const queued =
      'fallback' in edit && edit.fallback
        ? { ...edit, fallback: { ...edit.fallback, recipients: [...this.open] } }
        : edit;
    if (!this.record.audit) this.flow.queueEdit(queued);
    return false; // the flow state keeps the edits, not this view's queue
  }

  private apply(verdict: Verdict, recipients: readonly string[] | undefined, onlyOpen: boolean): string[] {
    assertVerdictAllowed(verdict, this.flow.init.direction);
    const wanted = recipients ? new Set(recipients.map(normalizeAddress)) : undefined;
    const targets = this.recipients.filter(
      (r) => (!wanted || wanted.has(normalizeAddress(r))) && (!onlyOpen || !this.flow.verdictOf(r)),
    );
    const changed = this.record.audit
      ? targets
      : targets.filter((r) => this.flow.decide(r, verdict, onlyOpen));
    for (const r of changed) this.record.settled[r] = verdictKey(verdict);
    return changed;
  }
}

/** The view a combinator was handed; combinators only work on views the flow made. */
export function asView<D extends Direction>(ctx: RuleContext<D>): RuleView<D> {
  if (!(ctx instanceof RuleView))
    throw new WmflowError('rule combinators need the context the flow passed in');
  return ctx as RuleView<D>;
}
