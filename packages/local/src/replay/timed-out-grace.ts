/**
 * Longest wait for a handler that did not answer in time to end, before the next invocation (fault round 49). In a
 * module of its own so that the ordered pool's parent reads it without loading the replay runner (fault round 68).
 */
export const TIMED_OUT_GRACE_MS = 5_000;
