import { flow, inbound, rule, Verdicts, when } from '@wmflow/core';
import * as r from '@wmflow/rules';
import { quietLogger } from './quiet-logger.js';

/** A ten-rule inbound policy of the kind administrators run. */
export const policyRules = [
  r.blockSenders({ senders: ['spam.example', 'bad@lottery.example'] }),
  inbound(r.enforceSesVerdicts()),
  inbound(when(r.authFailed({ methods: ['dmarc'] }), r.moveToJunk())),
  inbound(when(r.impersonatesProtectedName({ names: ['Jane Smith', 'Dan Brown'] }), r.moveToJunk())),
  when(
    r.subjectContains({ words: ['wire transfer', 'gift cards'] }),
    r.bounceWith('Payment requests must go through finance.'),
  ),
  when(
    r.senderMismatch({ compare: ['reply-to'], level: 'domain' }),
    rule('flag-reply-to', (ctx) => ctx.note('Reply-To domain differs from From')),
  ),
  when(r.messageLargerThan(30_000_000), r.bounceWith('Message too large.')),
  r.blockAttachments(),
  when(r.bodyContains({ words: ['urgent wire transfer'] }), r.dropMessage()),
  when(r.senderMatches(['*.partner.example', 'partner.example']), r.settleWith(Verdicts.DEFAULT)),
];

export const handler = flow({
  logger: quietLogger,
  organizationDomains: ['corp.example'],
  rules: policyRules,
});
