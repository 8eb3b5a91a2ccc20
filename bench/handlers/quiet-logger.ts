import type { FlowLogger } from '@wmflow/core';

/** Benchmarks compare work, not log volume: both sides log nothing. */
export const quietLogger: FlowLogger = { info: () => {}, warn: () => {}, error: () => {} };
