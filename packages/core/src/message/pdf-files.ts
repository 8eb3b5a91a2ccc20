import { lazyModule } from '../lazy-module.js';
import { NO_DEADLINE } from '../mime/reading-deadline.js';
import type { ArchiveEntry } from './archive-entry.js';
import { eachLinkedName } from './ole-packages.js';

// A PDF carries files (its attachments pane, file-attachment notes) that a viewer saves or opens on a click: an
// `invoice.vbs` or a zip of an executable inside one is carried as an archive carries it. The PDF reader is large,
// so it loads on the first PDF met, not at start.
const loadReader = lazyModule(() => import('../mime/pdf-pages.js'));
let reader: Awaited<ReturnType<typeof loadReader>> | undefined;

/** Loads the PDF reader {@link eachPdfFile} needs (once). */
export async function loadPdfFiles(): Promise<void> {
  reader ??= await loadReader();
}

const PDF_HEADER = Buffer.from('%PDF-', 'latin1');
// Names a dictionary declaring a file writes; in a password-protected file, the one thing readable of them.
const DECLARES_FILES = /\/(?:EmbeddedFiles?|EF|FileAttachment)\b/;
// Names an action opening another file writes (its target, a string, is encrypted with the rest); a thread
// action's type (a thread's own dictionary is `/Type /Thread`).
const DECLARES_LAUNCHES = /\/(?:Launch|GoToR|GoToE|ImportData|SubmitForm)\b|\/S\s*\/Thread\b/;

// Actions that open the file they name as a document (its name decides how): the others read or post to theirs.
const OPENED_BY_NAME = new Set(['Launch', 'GoToR', 'GoToE', 'Thread']);

/** Whether a file's first bytes hold a PDF header (viewers look through the first 1024). */
export function isPdf(head: Buffer): boolean {
  return head.subarray(0, 1024).includes(PDF_HEADER);
}

/**
 * Calls `visit` for each file a PDF embeds (any stream a file specification's `/EF` names, or typed
 * `/EmbeddedFile`), under its name, and each name of a file its actions open (`/Launch`, `/GoToR`, `/GoToE`,
 * `/Thread`: by path, or remote when on a server; any other action with a file specification `/F`, such as
 * `/ImportData` or `/SubmitForm`, as remote; an action whose target is not read throws). A PDF that asks for a
 * password and declares files has them visited as encrypted. Throws when the PDF cannot be read (past a bound,
 * damaged beyond what viewers recover) or the reader is not loaded ({@link loadPdfFiles}). Bounded by `maxBytes`
 * decoded.
 */
export function eachPdfFile(data: Buffer, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  if (!reader) throw new Error('the PDF reader is not loaded');
  const doc = new reader.PdfDocument(data, maxBytes, NO_DEADLINE);
  doc.scan();
  if (!doc.encrypted) doc.viewChain();
  if (doc.encrypted) {
    const text = data.toString('latin1');
    if (DECLARES_FILES.test(text)) visit({ name: 'files of a password-protected PDF', encrypted: true });
    if (DECLARES_LAUNCHES.test(text))
      visit({ name: 'files a password-protected PDF opens', encrypted: true });
    return;
  }
  for (const file of doc.embeddedFiles()) {
    const bytes = file.bytes;
    visit({ name: file.name, head: (max) => bytes.subarray(0, max), bytes: () => bytes });
  }
  // A /Launch action opens a file by its path (`\\host\share\invoice.exe`), a /GoToR, /GoToE or /Thread another
  // document: listed as a link's target is, by its names, refused when on a server. Other actions with a file
  // specification (an /ImportData reading an FDF, which may hold scripts; a /SubmitForm posting to a share or a
  // server) do what the file they name holds or its server answers, whatever its name: listed as on a server.
  for (const { action, sources } of doc.actionTargets()) {
    if (sources.length === 0) throw new Error(`a ${action} action whose target is not read`);
    // A form's submit button posting its fields to a web server or by mail is how business forms are sent back:
    // the post carries the form out, it opens nothing here (one posting to a share or a file is refused).
    if (
      action === 'SubmitForm' &&
      sources.every((source) => /^(?:https?:\/\/[^\\/]|mailto:)/i.test(source.trim()))
    )
      continue;
    const fetched = !OPENED_BY_NAME.has(action);
    eachLinkedName(sources, (entry) =>
      visit(fetched && entry.remote === undefined ? { ...entry, remote: sources[0] as string } : entry),
    );
  }
}
