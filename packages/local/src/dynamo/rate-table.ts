/** The rate-counter table wmflow's rules expect: partition key `pk` (string), TTL attribute `ttl`. */
export const DEFAULT_RATE_TABLE = 'wmflow-rate';
