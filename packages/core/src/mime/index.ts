// `@wmflow/core/mime`: the MIME tooling that loads libmime, iconv-lite and mailsplit. Kept out of the main
// entry so a function's cold start does not pay for it; the main entry loads it on first use.
export type { AppliedEdits, ApplyEditsOptions } from '../edit/apply-edits.js';
export { applyEdits } from '../edit/apply-edits.js';
export { undecodableCharsets } from '../message/charset-words.js';
export { decodeHeaderWords } from '../message/decode-words.js';
export { MessageHeaders } from '../message/headers.js';
export { html5Reference, htmlToFullText } from '../message/html-references.js';
export { decodeEntities } from '../message/html-text.js';
export { rawHeaderReadings } from '../message/raw-header-readings.js';
export { loadShownReaders, type ShownTexts } from '../message/shown-texts.js';
export type { UpdateProblem, UpdateProblemCode } from './problems.js';
export type { MimeSource, UpdateCheckResult } from './update-check.js';
export { checkUpdate } from './update-check.js';
export type { UpdateCheckLimits } from './update-rules.js';
export { DEFAULT_UPDATE_CHECK_LIMITS, isImmutableHeader, UPDATE_HEADER_RULES } from './update-rules.js';
export type { VisibleKind } from './visible-kind.js';
export { visibleKind } from './visible-kind.js';
export type { TextPlace, VisibleTextLimits, VisibleTextReport } from './visible-text.js';
export { DEFAULT_VISIBLE_TEXT_LIMITS, readVisibleText } from './visible-text.js';
