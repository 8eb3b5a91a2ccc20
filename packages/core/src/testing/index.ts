export type { CapturedLine } from './capture-logger.js';
export { captureLogger } from './capture-logger.js';
export type { MakeFlowEventOptions } from './events.js';
export { makeFlowEvent } from './events.js';
export { lambdaContext } from './lambda-context.js';
export type { MakeSesEventOptions, SesReceiptVerdicts } from './ses-events.js';
export { makeSesEvent, sesMessageId } from './ses-events.js';
