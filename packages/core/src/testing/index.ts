export type { CapturedLine } from './capture-logger.js';
export { captureLogger } from './capture-logger.js';
export type { MakeFlowEventOptions } from './events.js';
export { makeFlowEvent } from './events.js';
export { lambdaContext } from './lambda-context.js';
export { mimeAttached, mimeMessage, mimeMultipart, mimePart } from './mime.js';
