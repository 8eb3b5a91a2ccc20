export {
  domainOf,
  isInternal,
  isMailbox,
  localPart,
  matchesAnyPattern,
  matchesPattern,
  namesRoute,
  normalizeAddress,
  normalizeDomain,
  reachedMailboxes,
  recipientMatchesAny,
  sameAddress,
  senderMailbox,
} from './address.js';
export { requireDelimited } from './delimited-body.js';
export { digestOf } from './digest.js';
export type { AppliedEdits, ApplyEditsOptions } from './edit/apply-edits.js';
export type { Disclaimer, Edit, EditFallback, MessageEditor, PartIdentity, PartInfo } from './edit/edits.js';
export { EditError } from './edit/edits.js';
export type { SignedContentPolicy } from './edit/rewrite-stream.js';
export {
  ConfigError,
  DeadlineError,
  EventValidationError,
  ResponseLimitError,
  RuleError,
  VerdictError,
  WmflowError,
} from './errors.js';
export type { RuleFailure } from './flow/chain.js';
export type { RuleOptions } from './flow/combinators.js';
export {
  all,
  any,
  audit,
  forRecipients,
  inbound,
  not,
  onError,
  outbound,
  rule,
  unless,
  when,
} from './flow/combinators.js';
export type { DeadlineOptions } from './flow/deadline.js';
export type { Direction } from './flow/direction.js';
export type { EditOutcome } from './flow/edit-outcome.js';
export type { EngineResponse, FlowOutcome } from './flow/outcome.js';
export { onFlowOutcome } from './flow/outcome.js';
export { protective } from './flow/protective.js';
export type { FiredRule } from './flow/state.js';
export type { Condition, Envelope, ErrorPolicy, FlowLogger, Rule, RuleContext } from './flow/types.js';
export { lazyModule } from './lazy-module.js';
export type { ArchiveKind } from './message/archive-kind.js';
export type { AuthMethodResult, AuthVerdicts } from './message/auth-results.js';
export {
  authVerdicts,
  DEFAULT_TRUSTED_AUTHSERV_IDS,
  parseAuthenticationResults,
} from './message/auth-results.js';
export type { TextBodies } from './message/body-text.js';
export {
  type MessageFileKind,
  messageFileKind,
  nameVariants,
  normalizeFileName,
  opensByExtensionOnMac,
} from './message/file-names.js';
export type { HeaderField, MailAddress, MessageHeaders } from './message/headers.js';
export { htmlToText } from './message/html-text.js';
export type { MessageLimits } from './message/limits.js';
export { DEFAULT_MESSAGE_LIMITS, MessageLimitError } from './message/limits.js';
export { parseMailDate } from './message/mail-date.js';
export type { LazyMessageOptions, MessageAccess } from './message/message.js';
export { LazyMessage } from './message/message.js';
export type { AttachmentInfo, ParsedMessage } from './message/parse.js';
export type { MessagePart, PartInventory, StructureFinding } from './message/part-walk.js';
export type { MessageReadFailure } from './message/read-error.js';
export { MessageReadError } from './message/read-error.js';
export { sniffType } from './message/sniff.js';
export type { SpoolOptions } from './message/spool.js';
export { mayRunRightToLeft } from './message/text-direction.js';
export { isAttachedMessageType } from './mime/attached-message.js';
export { typeAsClientsRead } from './mime/client-type.js';
export type { UpdateProblem, UpdateProblemCode } from './mime/problems.js';
export type { MimeSource, UpdateCheckResult } from './mime/update-check.js';
export { isImmutableHeader, type UpdateCheckLimits } from './mime/update-rules.js';
export { checkOptionNames, nearestName } from './option-names.js';
export type { CompletedObject } from './s3/confirm-complete.js';
export { confirmPut, type PutSent } from './s3/confirm-put.js';
export { type PartedUploadResult, type PartedUploadSettings, uploadInParts } from './s3/parted-upload.js';
export { isPreconditionFailed, retryTransient } from './s3/request-retry.js';
export { requireStoredAsSent, type StoredObjectFacts, statedMd5 } from './s3/stated-md5.js';
export { storeVerifiesUpload } from './s3/store-verifies.js';
export { requireETag } from './s3/stored-answer.js';
export {
  keepAnswerOnBody,
  resetSharedS3Client,
  sharedS3Client,
  UNSIGNED_PAYLOAD_FROM_BYTES,
  unsignedLargePayloads,
} from './s3-client.js';
export { bucketNameProblem, isBucketName, isValidKeyPrefix } from './s3-names.js';
export { isTransient, TransientError } from './transient.js';
export type {
  BounceVerdict,
  BypassSpamCheckVerdict,
  DefaultVerdict,
  DropVerdict,
  InboundVerdict,
  MoveToJunkVerdict,
  OutboundVerdict,
  Verdict,
  VerdictFor,
  VerdictType,
} from './verdicts.js';
export {
  assertVerdictAllowed,
  isVerdictAllowed,
  MAX_BOUNCE_MESSAGE_LENGTH,
  Verdicts,
  verdictKey,
} from './verdicts.js';
export type { FlowClients } from './workmail/clients.js';
export { defaultClients, resetDefaultClients } from './workmail/clients.js';
export type { UpdateOptions } from './workmail/commit-update.js';
export type { CompiledResponse, CompileInput } from './workmail/compile-response.js';
export { compileResponse } from './workmail/compile-response.js';
export type {
  FlowAddress,
  FlowEvent,
  FlowEventFor,
  InboundFlowEvent,
  OutboundFlowEvent,
} from './workmail/event.js';
export { MIN_SUMMARY_VERSION } from './workmail/event.js';
export type { FlowHandler } from './workmail/flow-handler.js';
export { flow } from './workmail/flow-handler.js';
export type { FlowOptions } from './workmail/flow-settings.js';
export { MessageNotFoundError, workmailSource } from './workmail/message-source.js';
export type { ResponseReading } from './workmail/read-response.js';
export { readResponse } from './workmail/read-response.js';
export type { FlowAction, FlowResponse } from './workmail/response.js';
export { RESPONSE_LIMITS } from './workmail/response.js';
export { parseFlowEvent } from './workmail/validate-event.js';
