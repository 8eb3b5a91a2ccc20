import type { MessageEditor } from '../edit/edits.js';
import type { MessageAccess } from '../message/message.js';
import type { Verdict, VerdictFor } from '../verdicts.js';
import type { Direction } from './direction.js';
import type { FiredRule } from './state.js';

/** The SMTP envelope in engine-neutral form. */
export interface Envelope {
  /** MAIL FROM; empty for the null sender (bounces). */
  readonly mailFrom: string;
  /** RCPT TO addresses as the engine listed them. */
  readonly recipients: readonly string[];
  /** Send-on-behalf sender, when there is one. */
  readonly sender?: string;
  /** True when the engine cut the recipient list: some recipients are not listed. */
  readonly truncated: boolean;
}

/**
 * The logger a flow writes to. Powertools' `Logger` fits it; so does `console`.
 *
 * @example
 * ```ts
 * const logger: FlowLogger = new Logger({ serviceName: 'mail-guard' });
 * ```
 */
export interface FlowLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * What a rule sees and may do. Each recipient starts open; settling gives it a
 * verdict that later rules do not change unless they {@link RuleContext.override}.
 * `D` is the direction when known statically: direction-illegal verdicts are then type errors.
 *
 * @example
 * ```ts
 * const run = (ctx: RuleContext<'INBOUND'>) => {
 *   if (ctx.subject.includes('[SPAM]')) ctx.settle(Verdicts.MOVE_TO_JUNK);
 * };
 * ```
 */
export interface RuleContext<D extends Direction = Direction> {
  readonly direction: D;
  readonly envelope: Envelope;
  /** Subject as the engine gave it (WorkMail cuts it at 256 characters). */
  readonly subject: string;
  readonly messageId: string;
  /** Same across retries of one event: use it for idempotency. */
  readonly invocationId: string;
  /**
   * When the engine received the message (`Date.now()` time), as the engine states it in the event: the same in every
   * delivery and retry of it, unlike the clock. Undefined when the engine does not say (WorkMail's events carry no
   * time) or said something not to be trusted (SES: not a time, or not within the day before the clock). Journaling
   * files a copy by it (fault round 82).
   */
  readonly receivedAt?: number;
  /** False for asynchronous rules, whose verdicts and edits are ignored by WorkMail. */
  readonly synchronous: boolean;
  /** The organization's own domains, from the flow's configuration. */
  readonly organizationDomains: readonly string[];
  /** Recipients this rule may decide: every recipient, or its pilot group. */
  readonly recipients: readonly string[];
  /** Those of {@link recipients} no rule has settled yet. */
  readonly open: readonly string[];
  /** True when the rule runs in audit mode: what it does is logged, not applied. */
  readonly audit: boolean;
  /** Aborted when the deadline guard answers WorkMail; long work should stop then. */
  readonly signal: AbortSignal;
  /**
   * When the deadline guard answers (`Date.now()` time; `Infinity` without one, as for asynchronous rules). A
   * timer cannot interrupt synchronous work, so work that blocks the event loop (a parser) checks this itself:
   * `if (Date.now() >= ctx.deadline - 200) stop()`.
   */
  readonly deadline: number;
  readonly logger: FlowLogger;
  /** The message itself, fetched lazily and at most once. */
  readonly message: MessageAccess;
  /** The rules that fired before this one, with what each settled and noted (journal metadata, audits). */
  readonly fired: readonly FiredRule[];
  /** Queues edits of the message, applied once after the chain (synchronous flows only). */
  readonly edit: MessageEditor;
  /** Scratch space shared by the rules of one invocation. */
  readonly state: Map<string | symbol, unknown>;
  /** The verdict a recipient has so far; undefined while open. */
  verdictOf(recipient: string): Verdict | undefined;
  /** Settles the given open recipients (default: every open one in scope); returns those it settled. */
  settle(verdict: VerdictFor<D>, recipients?: readonly string[]): string[];
  /** Re-decides recipients in scope whether open or settled; returns those it changed. */
  override(verdict: VerdictFor<D>, recipients?: readonly string[]): string[];
  /** Adds a recipient not in the envelope (inbound: organization addresses only, delivered as Bcc). */
  addRecipient(address: string, verdict?: VerdictFor<D>): void;
  /** Records that the rule fired, with a reason, without settling anything. */
  note(reason: string): void;
}

/** What happens when a rule throws: treat as PASS, settle its recipients with a verdict, or fail the invocation. */
export type ErrorPolicy<D extends Direction = Direction> =
  | 'fail-open'
  | 'rethrow'
  | { failClosed: VerdictFor<D> };

/**
 * A step of a flow. Rules never import middy: they get a {@link RuleContext}.
 *
 * @example
 * ```ts
 * const tagAll: Rule = { name: 'note-all', run: (ctx) => ctx.note('seen') };
 * ```
 */
export interface Rule<D extends Direction = Direction> {
  readonly name: string;
  /** Side-effect rules (journaling) run even when every recipient is settled. */
  readonly sideEffect?: boolean;
  /** Rules that re-decide settled recipients (allow lists, rescues) also run when none is open. */
  readonly overrides?: boolean;
  /** Overrides the flow's error policy for this rule. */
  readonly onError?: ErrorPolicy;
  /**
   * The recipients the rule may decide (set by `forRecipients`); a fail-closed verdict settles only these, or every
   * listed recipient on a truncated event (those in scope may be unlisted).
   */
  readonly scope?: (address: string) => boolean;
  /**
   * The one verdict the rule settles its open recipients with, when it is that simple (`settleWith`,
   * `bounceWith`, `moveToJunk`…): `when` over a {@link protective} condition fails closed with it.
   */
  readonly settles?: Verdict;
  /**
   * Set by `audit`: what the rule settles is logged, not applied, and so is its fail-closed verdict when it throws
   * or the deadline comes before it decides.
   */
  readonly audit?: boolean;
  run(ctx: RuleContext<D>): void | Promise<void>;
}

/** A predicate over the rule context; used by `when`, `all`, `any`, `not`. */
export type Condition<D extends Direction = Direction> = (ctx: RuleContext<D>) => boolean | Promise<boolean>;
