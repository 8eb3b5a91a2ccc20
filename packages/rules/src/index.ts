export type { CopyToOptions } from './copy-to/index.js';
export { copyTo } from './copy-to/index.js';
export type { ListInput } from './internal/config.js';
export { parseList } from './internal/config.js';
export type { AllowSendersOptions, BlockSendersOptions } from './lists/index.js';
export { allowSenders, blockSenders } from './lists/index.js';
export type { InternalOnlySendersOptions, RestrictMailboxesOptions } from './restricted/index.js';
export { internalOnlySenders, restrictMailboxes } from './restricted/index.js';
export type { RecipientMatchesOptions, SenderMatchesOptions } from './senders/index.js';
export {
  hasExternalRecipient,
  isNullSender,
  recipientMatches,
  senderIsExternal,
  senderIsInternal,
  senderMatches,
} from './senders/index.js';
export type { VerdictRuleOptions } from './verdicts/index.js';
export {
  bounceWith,
  bypassSpamCheck,
  deliverNormally,
  dropMessage,
  moveToJunk,
  settleWith,
} from './verdicts/index.js';
