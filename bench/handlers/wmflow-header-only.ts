import { domainOf, flow, rule, Verdicts } from '@wmflow/core';
import { quietLogger } from './quiet-logger.js';

/** Sender domain + SES verdict: needs only the header block. */
export const handler = flow({
  logger: quietLogger,
  rules: [
    rule('ses-spam-or-blocked-domain', async (ctx) => {
      const verdicts = await ctx.message.authVerdicts();
      if (verdicts.sesSpam === 'FAIL' || domainOf(ctx.envelope.mailFrom) === 'blocked.example') {
        ctx.settle(Verdicts.MOVE_TO_JUNK);
      }
    }),
  ],
});
