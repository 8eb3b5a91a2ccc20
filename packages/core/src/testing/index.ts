/**
 * Test helpers for wmflow handlers and rules (`@wmflow/core/testing`): a WorkMail event
 * ({@link makeFlowEvent}), a Lambda context ({@link lambdaContext}) and a logger that keeps what it
 * was given ({@link captureLogger}). With them a unit test calls a handler as Lambda would, with no
 * AWS account; rules that read the message need the local emulator (`@wmflow/local`).
 *
 * @example
 * ```ts
 * import { flow, rule, Verdicts } from '@wmflow/core';
 * import { captureLogger, lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
 * import { expect, it } from 'vitest';
 *
 * const handler = flow({
 *   direction: 'INBOUND',
 *   logger: captureLogger(),
 *   rules: [rule('junk-offers', (ctx) => void (/offer/i.test(ctx.subject) && ctx.settle(Verdicts.MOVE_TO_JUNK)))],
 * });
 *
 * it('junks offers', async () => {
 *   const event = makeFlowEvent({ subject: 'Special offer', recipients: ['bob@corp.example'] });
 *   expect(await handler(event, lambdaContext())).toEqual({
 *     actions: [{ action: { type: 'MOVE_TO_JUNK' }, allRecipients: true }],
 *   });
 * });
 * ```
 *
 * @packageDocumentation
 */
export type { CapturedLine } from './capture-logger.js';
export { captureLogger } from './capture-logger.js';
export { type CmsFileOptions, cmsFile } from './cms.js';
export { type CompoundFileOptions, compoundEntry, compoundFile, compoundHeader } from './compound.js';
export type { MakeFlowEventOptions } from './events.js';
export { makeFlowEvent } from './events.js';
export { lambdaContext } from './lambda-context.js';
export { type CompressedRtfOptions, compressedRtf } from './lzfu.js';
export { mimeAttached, mimeMessage, mimeMultipart, mimePart } from './mime.js';
export { olePackageObject, packagedFile, rtfWithObject } from './ole-package.js';
export { type PdfFileOptions, type PdfObject, type PdfObjectsOptions, pdfFile, pdfObjects } from './pdf.js';
export { type RarEntry, type RarOptions, rar4WithCrc, rar5Header, rarFile, rarVint } from './rar.js';
export type { MakeSesEventOptions, SesReceiptVerdicts } from './ses-events.js';
export { makeSesEvent, sesMessageId } from './ses-events.js';
export { paxHeader, paxRecord, tarArchive, tarEntry, USTAR_MAGIC } from './tar.js';
export type { TnefFile, TnefMessage } from './tnef.js';
export { tnefStream } from './tnef.js';
export { uuencode } from './uuencode.js';
export { type WordBinaryOptions, type WordRun, type WordStyle, wordBinary } from './word-binary.js';
export { yencChars, yencFile, yencLines } from './yenc.js';
export { type ZipEntry, zipAfter, zipFile, zipUnlisted } from './zip.js';
