import { flow, rule } from '@wmflow/core';
import { quietLogger } from './quiet-logger.js';

/** External banner + subject tag, committed with one streaming pass. */
export const handler = flow({
  logger: quietLogger,
  updates: { bucket: process.env.BENCH_UPDATES_BUCKET ?? 'bench-updates' },
  rules: [
    rule('tag-external', (ctx) => {
      ctx.edit.prefixSubject('[EXTERNAL]');
      ctx.edit.addDisclaimer({ text: 'This message came from outside the organization.', position: 'top' });
    }),
  ],
});
