/** The README's "Writing a rule" example, kept here so it is type-checked with the project. */
import { type Condition, flow, inbound, isInternal, rule, Verdicts, when } from '@wmflow/core';

const fromOutside: Condition = (ctx) => !isInternal(ctx.envelope.mailFrom, ctx.organizationDomains);

const junkExternalNewsletters = inbound(
  rule('junk-external-newsletters', async (ctx) => {
    const headers = await ctx.message.headers(); // reads only the header block
    if (headers.has('list-unsubscribe')) ctx.settle(Verdicts.MOVE_TO_JUNK);
  }),
);

export const handler = flow({
  organizationDomains: ['corp.example'],
  rules: [when(fromOutside, junkExternalNewsletters)],
});
