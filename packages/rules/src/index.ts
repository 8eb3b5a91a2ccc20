export type { BlockAttachmentsOptions } from './attachments/index.js';
export { blockAttachments, hasBlockedAttachment } from './attachments/index.js';
export type { AttachmentPolicy, AttachmentPolicyOptions, AttachmentViolation } from './attachments/policy.js';
export {
  ABUSED_EXTENSIONS,
  ARCHIVE_EXTENSIONS,
  attachmentPolicy,
  attachmentViolations,
  DEFAULT_BLOCKED_EXTENSIONS,
  extensionsOf,
  WORKMAIL_BLOCKED_EXTENSIONS,
} from './attachments/policy.js';
export type {
  AuthFailedOptions,
  EnforceDmarcPolicyOptions,
  EnforceSesVerdictsOptions,
  SesVerdictOptions,
  SesVerdictValue,
} from './auth/index.js';
export { authFailed, enforceDmarcPolicy, enforceSesVerdicts, sesVerdict } from './auth/index.js';
export type { SenderAuthenticatedOptions } from './auth/sender-authenticated.js';
export { senderAuthenticated } from './auth/sender-authenticated.js';
export type { BodyContainsOptions, SubjectContainsOptions } from './content/index.js';
export { bodyContains, headerContains, subjectContains } from './content/index.js';
export type { NormalizeOptions } from './content/normalize.js';
export { htmlToText, normalizeText } from './content/normalize.js';
export { PhraseMatcher } from './content/phrase-matcher.js';
export type { SafePattern } from './content/safe-regex.js';
export { compileSafePattern, MAX_PATTERN_LENGTH, MAX_PATTERN_PROGRAM } from './content/safe-regex.js';
export type { TextMatcher, TextMatchOptions } from './content/text-matcher.js';
export { textMatcher } from './content/text-matcher.js';
export type { CopyToOptions } from './copy-to/index.js';
export { copyTo } from './copy-to/index.js';
export type { CardNumberOptions } from './detectors/card.js';
export { findCardNumbers, luhnValid } from './detectors/card.js';
export { findIbans, ibanValid } from './detectors/iban.js';
export type { ContainsSensitiveDataOptions, SensitiveKind } from './detectors/index.js';
export {
  checkSensitiveData,
  collectSensitive,
  containsSensitiveData,
  type SensitiveDataCheck,
} from './detectors/index.js';
export type { ImpersonationOptions } from './impersonation/index.js';
export { impersonatesProtectedName, skeletonName } from './impersonation/index.js';
export type { ListInput } from './internal/config.js';
export { parseList } from './internal/config.js';
export type { Undecidable, UndecidableOption } from './internal/undecidable.js';
export type { JournalToS3Options } from './journal/index.js';
export { journalToS3 } from './journal/index.js';
export type { KeyValues } from './journal/key.js';
export {
  DEFAULT_KEY_TEMPLATE,
  journalDate,
  KEY_PLACEHOLDERS,
  keyTemplate,
  messageDate,
} from './journal/key.js';
export { JournalError } from './journal/store.js';
export type { AllowSendersOptions, BlockSendersOptions } from './lists/index.js';
export { allowSenders, blockSenders } from './lists/index.js';
export type { MismatchField, SenderMismatchOptions } from './mismatch/index.js';
export { senderMismatch } from './mismatch/index.js';
export { RATE_CLOCK, rateNow } from './rate/clock.js';
export type { RateStoreOptions, StoreErrorPolicy } from './rate/counting.js';
export type { CountedKey, RateKey } from './rate/keys.js';
export type { MailStormOptions } from './rate/mail-storm.js';
export { mailStorm } from './rate/mail-storm.js';
export type { RateLimitOptions } from './rate/rate-limit.js';
export { rateLimit } from './rate/rate-limit.js';
export type { CounterStoreOptions, CountResult, RateStoreFailure } from './rate/store.js';
export { CounterStore, RateStoreError } from './rate/store.js';
export type { Duration, WindowType } from './rate/window.js';
export type { InternalOnlySendersOptions, RestrictMailboxesOptions } from './restricted/index.js';
export { internalOnlySenders, restrictMailboxes } from './restricted/index.js';
export type { AddDisclaimerOptions, StampHeadersOptions, TagExternalOptions } from './rewrites/index.js';
export { addDisclaimer, stampHeaders, tagExternal } from './rewrites/index.js';
export type { RecipientMatchesOptions, SenderMatchesOptions } from './senders/index.js';
export {
  hasExternalRecipient,
  isNullSender,
  recipientMatches,
  senderIsExternal,
  senderIsInternal,
  senderMatches,
} from './senders/index.js';
export type { OutsideOptions } from './senders/outside.js';
export { senderIsInside, senderIsOutside } from './senders/outside.js';
export { messageLargerThan } from './size/index.js';
export type { VerdictRuleOptions } from './verdicts/index.js';
export {
  bounceWith,
  bypassSpamCheck,
  deliverNormally,
  dropMessage,
  moveToJunk,
  settleWith,
} from './verdicts/index.js';
