/**
 * A custom WorkMail Lambda in a few lines: drop inbound messages whose subject or
 * body asks for an "URGENT WIRE TRANSFER" (a TypeScript port of the classic sample).
 *
 * Deploy it by bundling this file with esbuild (see the README) and pointing a
 * synchronous "Run Lambda" inbound rule at it.
 */
import { flow, rule, Verdicts } from '@wmflow/core';

const PHRASE = 'URGENT WIRE TRANSFER';

/** The rule on its own, so it can be composed into other flows and tested. */
export const blockWireTransferRequests = rule('block-wire-transfer-requests', async (ctx) => {
  if (ctx.subject.toUpperCase().includes(PHRASE)) {
    ctx.settle(Verdicts.DROP);
    return;
  }
  const { text } = await ctx.message.parsed(); // fetched once, parsed with limits
  if (text?.toUpperCase().includes(PHRASE)) ctx.settle(Verdicts.DROP);
});

/** The Lambda handler WorkMail invokes. */
export const handler = flow({ direction: 'INBOUND', rules: [blockWireTransferRequests] });
