export type { SesFlowClients, StoredMessageOptions } from './clients.js';
export { defaultSesClients, storedMessageSource } from './clients.js';
export type { SesResolution, SesVerdictPolicy } from './disposition.js';
export { resolveDisposition } from './disposition.js';
export type {
  SesDisposition,
  SesEvent,
  SesHeader,
  SesMail,
  SesMessage,
  SesReceipt,
  SesVerdictStatus,
} from './event.js';
export type { SesHoldCause, SesHoldRecord } from './hold-record.js';
export { bounceClaimKey } from './hold-record.js';
export { receiptVerdicts } from './receipt-message.js';
export type { BounceOutcome } from './send-bounce.js';
export type { SesFlowHandler, SesFlowOutcome } from './ses-flow.js';
export { sesFlow } from './ses-flow.js';
export type {
  SesFlowOptions,
  SesHeaderSource,
  SesInvalidEventAnswer,
  SesInvocationType,
} from './settings.js';
export { SES_LIMITS } from './settings.js';
export { StoredMessageMismatchError } from './stored-identity.js';
export { parseSesEvent } from './validate-event.js';
