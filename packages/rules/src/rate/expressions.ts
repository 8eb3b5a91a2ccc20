import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The UpdateItem requests of the counter store. One item per counted key holds two window slots
 * (`w0,c0,m0` for even window numbers, `w1,c1,m1` for odd ones): the current window's count and the
 * previous window's count (what the sliding estimate weighs) live in the same item, so one request
 * both counts and reads. `m<slot>` maps a short hash of each counted invocationId to its rank, so a
 * retry is recognised (the condition fails) and answered from the rank it got the first time. Both
 * slots' markers are checked: a retry that arrives once the window has turned was counted in the
 * other slot, and is not counted again in the new one (fault round 80).
 */
export interface CountRequest {
  table: string;
  pk: string;
  /** Window number: floor(now / window). */
  window: number;
  /** Hash of the invocationId (the marker's name); always checked, so a retry is recognised. */
  marker: string;
  /** Record the marker: false once the window is known to be past the limit (keeps the item small). */
  mark: boolean;
  /** TTL attribute value, epoch seconds. */
  ttl: number;
}

const n = (value: number): AttributeValue => ({ N: String(value) });
/** Sets the TTL and makes sure the other slot and the storm hold come back in UPDATED_NEW. */
const KEEP =
  '#ttl = :ttl, #pc = if_not_exists(#pc, :zero), #pw = if_not_exists(#pw, :none), #u = if_not_exists(#u, :zero)';

function slots(window: number) {
  const p = window % 2;
  return { w: `w${p}`, c: `c${p}`, m: `m${p}`, pw: `w${1 - p}`, pc: `c${1 - p}`, pm: `m${1 - p}` };
}

/**
 * Counts in the slot that already holds this window. Fails its condition when the slot is stale or this is a retry
 * (counted in this window, or in the other slot's: a retry that arrived once the window had turned).
 */
export function continueWindow(r: CountRequest): UpdateItemCommandInput {
  return count(r, {
    ConditionExpression: '#w = :w AND attribute_not_exists(#m.#h) AND attribute_not_exists(#pm.#h)',
    UpdateExpression: `SET #c = #c + :one, ${r.mark ? '#m.#h = #c + :one, ' : ''}${KEEP}`,
  });
}

/**
 * Opens the slot for this window (first count of the window). Fails its condition when another request opened it
 * first, or when this invocation was counted in the other slot (a retry across the window's turn, fault round 80).
 */
export function openWindow(r: CountRequest): UpdateItemCommandInput {
  return count(
    r,
    {
      ConditionExpression: '(attribute_not_exists(#w) OR #w < :w) AND attribute_not_exists(#pm.#h)',
      UpdateExpression: `SET #w = :w, #c = :one, #m = :marks, ${KEEP}`,
    },
    { ':marks': { M: r.mark ? { [r.marker]: n(1) } : {} } },
  );
}

/** A counting request: the expressions given, over the slots of the request's window. */
function count(
  r: CountRequest,
  expressions: Pick<UpdateItemCommandInput, 'ConditionExpression' | 'UpdateExpression'>,
  values: Record<string, AttributeValue> = {},
): UpdateItemCommandInput {
  const s = slots(r.window);
  const marker: Record<string, string> = expressions.ConditionExpression?.includes('#h')
    ? { '#h': r.marker, '#pm': s.pm }
    : {};
  return {
    TableName: r.table,
    Key: { pk: { S: r.pk } },
    ...expressions,
    ExpressionAttributeNames: {
      '#w': s.w,
      '#c': s.c,
      '#m': s.m,
      '#pc': s.pc,
      '#pw': s.pw,
      '#u': 'u',
      '#ttl': 'ttl',
      ...marker,
    },
    ExpressionAttributeValues: {
      ':w': n(r.window),
      ':one': n(1),
      ':zero': n(0),
      ':none': n(-1),
      ':ttl': n(r.ttl),
      ...values,
    },
    ReturnValues: 'UPDATED_NEW',
  };
}

/** Reads the whole item through an UpdateItem that changes nothing (so UpdateItem is the only permission needed). */
export function peek(r: Pick<CountRequest, 'table' | 'pk' | 'ttl'>): UpdateItemCommandInput {
  return {
    TableName: r.table,
    Key: { pk: { S: r.pk } },
    UpdateExpression: 'SET #ttl = if_not_exists(#ttl, :ttl)',
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':ttl': n(r.ttl) },
    ReturnValues: 'ALL_NEW',
  };
}

/** Holds a storm until `until` (ms), never shortening a later hold. */
export function holdUntil(
  r: Pick<CountRequest, 'table' | 'pk' | 'ttl'>,
  until: number,
): UpdateItemCommandInput {
  return {
    TableName: r.table,
    Key: { pk: { S: r.pk } },
    ConditionExpression: 'attribute_not_exists(#u) OR #u < :u',
    UpdateExpression: 'SET #u = :u, #ttl = :ttl',
    ExpressionAttributeNames: { '#u': 'u', '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':u': n(until), ':ttl': n(r.ttl) },
  };
}

/** The item's state as the store reads it back. */
export interface SlotState {
  /** Window number held by the slot of the requested window, or undefined. */
  window?: number;
  count: number;
  /** The rank recorded for the marker, when this invocation was counted before. */
  rank?: number;
  /**
   * The rank recorded for the marker in the other slot, when this invocation was counted in another window (a retry
   * that arrived once the window had turned: fault round 80).
   */
  otherRank?: number;
  /** Window number and count of the other slot. */
  previousWindow: number;
  previousCount: number;
  /** Storm hold end (ms since the epoch); 0 when none. */
  until: number;
}

const num = (v: AttributeValue | undefined): number | undefined =>
  v?.N === undefined ? undefined : Number(v.N);

/** Reads the slots of `window` out of returned attributes (UPDATED_NEW or ALL_NEW). */
export function readSlots(item: Record<string, AttributeValue>, window: number, marker?: string): SlotState {
  const s = slots(window);
  const marks = item[s.m]?.M;
  const rank = marker && marks ? num(marks[marker]) : undefined;
  const otherMarks = item[s.pm]?.M;
  const otherRank = marker && otherMarks ? num(otherMarks[marker]) : undefined;
  const held = num(item[s.w]);
  return {
    ...(held !== undefined ? { window: held } : {}),
    count: num(item[s.c]) ?? 0,
    ...(rank !== undefined ? { rank } : {}),
    ...(otherRank !== undefined ? { otherRank } : {}),
    previousWindow: num(item[s.pw]) ?? -1,
    previousCount: num(item[s.pc]) ?? 0,
    until: num(item.u) ?? 0,
  };
}
