import { flow } from '@wmflow/core';
import { journalToS3 } from '@wmflow/rules';
import { quietLogger } from './quiet-logger.js';

/** The archiver's core: a byte-identical streamed copy plus metadata, asynchronous. */
export const handler = flow({
  logger: quietLogger,
  synchronous: false,
  rules: [journalToS3({ bucket: process.env.BENCH_JOURNAL_BUCKET ?? 'bench-journal' })],
});
