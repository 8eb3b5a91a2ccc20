/**
 * The rate-counter table wmflow's rules expect: partition key `pk` (string), TTL attribute `ttl`.
 *
 * @example
 * ```ts
 * DEFAULT_RATE_TABLE; // 'wmflow-rate'
 * const dynamo = await startDynamoServer(); // creates the DEFAULT_RATE_TABLE table
 * ```
 */
export const DEFAULT_RATE_TABLE = 'wmflow-rate';
