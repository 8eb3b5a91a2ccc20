import { ConfigError, type Direction, type Rule, type Verdict, Verdicts } from '@wmflow/core';
import { type Duration, mailStorm, type RateKey, rateLimit, type StoreErrorPolicy } from '@wmflow/rules';
import { configured, type FunctionConfig } from './config.js';
import { bounceSetting } from './verdicts.js';

/** Rate settings the guard and outbound-policy share (see docs/deploy.md). */
export const RATE_SETTINGS = [
  'RATE_TABLE',
  'RATE_LIMITS',
  'RATE_STORE_ON_ERROR',
  'STORM_GROUPS',
  'STORM_THRESHOLD',
  'STORM_WINDOW',
  'STORM_COOL_DOWN',
  'STORM_BOUNCE_MESSAGE',
] as const;

/** The parts they add, as named by `AUDIT_MODE`. */
export const RATE_PARTS = ['rate-limits', 'mail-storm'] as const;

/** One entry of `RATE_LIMITS`. */
interface LimitEntry {
  name?: string;
  key: RateKey;
  limit: number;
  window: string;
  windowType?: 'fixed' | 'sliding';
  action?: 'bounce' | 'drop' | 'junk';
  bounceMessage?: string;
  onStoreError?: StoreErrorPolicy;
}

type Scope = <D extends Direction>(part: string, rule: Rule<D>) => Rule<D>;

/** The rate rules of a function, by where they go in its chain. */
export interface RateRules<D extends Direction> {
  /** Rules whose verdict refuses the message (bounce, drop): first, so a burst is refused unread. */
  first: Rule<D>[];
  /**
   * Rules whose verdict still delivers (junk): after the protections, since the first verdict settled wins and
   * a virus or a blocked file must not reach Junk in place of its bounce (attacker round 61). They run as side
   * effects, so every message is still counted, those the protections refused too.
   */
  last: Rule<D>[];
}

/**
 * The rate rules a function's settings ask for: `STORM_GROUPS` (mail-storm stopper) and
 * `RATE_LIMITS` (a JSON list of limits), counting in the DynamoDB table `RATE_TABLE`. Checked at
 * cold start: a bad entry is a ConfigError naming `RATE_LIMITS[i]`; a rate setting without
 * `RATE_TABLE` is refused, so a protection never silently does nothing.
 *
 * @example
 * ```ts
 * const rate = rateRules(config, scope, 'INBOUND');
 * rules.push(...rate.first, ...protections, ...rate.last);
 * ```
 */
export function rateRules<D extends Direction>(
  config: FunctionConfig,
  scope: Scope,
  direction: D,
): RateRules<D> {
  const groups = config.list('STORM_GROUPS') ?? [];
  const limits = limitEntries(config);
  if (groups.length === 0 && limits.length === 0) return { first: [], last: [] };
  const table = config.text('RATE_TABLE');
  if (table === undefined) {
    throw new ConfigError(
      'RATE_TABLE',
      'is required when STORM_GROUPS or RATE_LIMITS is set (the counter table)',
    );
  }
  const onStoreError = config.choice<StoreErrorPolicy>(
    'RATE_STORE_ON_ERROR',
    ['fail-open', 'fail-closed', 'retry'],
    'fail-open',
  );
  const rules: RateRules<D> = { first: [], last: [] };
  if (groups.length > 0) {
    const fields = {
      table: 'RATE_TABLE',
      recipients: config.field('STORM_GROUPS'),
      window: config.field('STORM_WINDOW'),
      coolDown: config.field('STORM_COOL_DOWN'),
    };
    const rule = configured(fields, () =>
      mailStorm({
        table,
        onStoreError,
        recipients: groups,
        threshold: config.integer('STORM_THRESHOLD', 50, 1, 1_000_000),
        window: config.text('STORM_WINDOW', '1m') as Duration,
        coolDown: config.text('STORM_COOL_DOWN', '10m') as Duration,
        ...(config.has('STORM_BOUNCE_MESSAGE')
          ? { verdict: bounceSetting(config, 'STORM_BOUNCE_MESSAGE', '') }
          : {}),
      }),
    );
    // Its verdict is always a bounce.
    rules.first.push(scope('mail-storm', rule as Rule<D>));
  }
  limits.forEach((entry, i) => {
    const field = `${config.field('RATE_LIMITS')}[${i}]`;
    const verdict = configured(field, () => verdictOf(entry, direction));
    const rule = configured(field, () =>
      rateLimit({
        table,
        onStoreError: entry.onStoreError ?? onStoreError,
        name: entry.name ?? `rate-limit-${i + 1}`,
        key: entry.key,
        limit: entry.limit,
        window: entry.window as Duration,
        ...(entry.windowType ? { windowType: entry.windowType } : {}),
        ...verdict,
      }),
    );
    if (verdict.verdict?.type === 'MOVE_TO_JUNK')
      rules.last.push(scope('rate-limits', { ...(rule as Rule<D>), sideEffect: true }));
    else rules.first.push(scope('rate-limits', rule as Rule<D>));
  });
  return rules;
}

function limitEntries(config: FunctionConfig): LimitEntry[] {
  const text = config.text('RATE_LIMITS');
  if (text === undefined) return [];
  const field = config.field('RATE_LIMITS');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(field, `must be a JSON list of limits: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError(field, 'must be a JSON list of limits');
  return parsed.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigError(
        `${field}[${i}]`,
        'must be an object such as {"key":"sender","limit":200,"window":"1h"}',
      );
    }
    return entry as LimitEntry;
  });
}

function verdictOf(entry: LimitEntry, direction: Direction): { verdict?: Verdict } {
  const action = entry.action ?? 'bounce';
  if (action === 'drop') return { verdict: Verdicts.DROP };
  if (action === 'junk' && direction === 'INBOUND') return { verdict: Verdicts.MOVE_TO_JUNK };
  if (action !== 'bounce') {
    throw new ConfigError('action', `must be bounce, drop${direction === 'INBOUND' ? ' or junk' : ''}`);
  }
  if (entry.bounceMessage === undefined) return {};
  try {
    return { verdict: Verdicts.bounce(entry.bounceMessage) };
  } catch (error) {
    throw new ConfigError('bounceMessage', (error as Error).message);
  }
}
