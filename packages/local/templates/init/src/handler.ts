/**
 * A WorkMail "Run Lambda" rule for inbound mail, made of two rules run in order:
 * a ready rule from @wmflow/rules and one written here.
 */
import { flow, rule, Verdicts } from '@wmflow/core';
import { blockSenders } from '@wmflow/rules';

/** Newsletters go to Junk: any message with a List-Unsubscribe header (only the header block is read). */
export const junkNewsletters = rule('junk-newsletters', async (ctx) => {
  const headers = await ctx.message.headers();
  if (headers.has('list-unsubscribe')) ctx.settle(Verdicts.MOVE_TO_JUNK);
});

/** The Lambda handler WorkMail invokes (bundled by `npm run bundle`, Handler `index.handler`). */
export const handler = flow({
  direction: 'INBOUND',
  rules: [blockSenders({ senders: ['scam.example'], verdict: Verdicts.DROP }), junkNewsletters],
});
