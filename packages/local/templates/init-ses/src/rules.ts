/**
 * The rules, apart from the engine: `src/handler.ts` runs them on Amazon SES receipt rules. A WorkMail
 * handler (`flow({ direction: 'INBOUND', rules })` from @wmflow/core) would import this very list.
 */
import { type Rule, rule, Verdicts } from '@wmflow/core';
import { blockSenders } from '@wmflow/rules';

/**
 * Newsletters go to Junk (on SES: to quarantine/): any message with a List-Unsubscribe header (only the
 * header block is read).
 */
export const junkNewsletters = rule('junk-newsletters', async (ctx) => {
  const headers = await ctx.message.headers();
  if (headers.has('list-unsubscribe')) ctx.settle(Verdicts.MOVE_TO_JUNK);
});

/** Run in order; the first verdict wins. */
export const rules: Rule<'INBOUND'>[] = [
  blockSenders({ senders: ['scam.example'], verdict: Verdicts.DROP }),
  junkNewsletters,
];
