import type { AttachmentInfo } from '@wmflow/core';
import { ConfigError } from '@wmflow/core';
import { countOption, type ListInput, stringList } from '../internal/config.js';

/** The attachment extensions WorkMail and SES refuse: wmflow's default block list. */
export const DEFAULT_BLOCKED_EXTENSIONS: readonly string[] = (
  'ade adp app asp bas bat cer chm cmd com cpl crt csh der exe fxp gadget hlp hta inf ins isp its js jse ksh lib ' +
  'lnk mad maf mag mam maq mar mas mat mau mav maw mda mdb mde mdt mdw mdz msc msh msh1 msh2 mshxml msh1xml ' +
  'msh2xml msi msp mst ops pcd pif plg prf prg reg scf scr sct shb shs sys ps1 ps1xml ps2 ps2xml psc1 psc2 tmp ' +
  'url vb vbe vbs vps vsmacros vss vst vsw vxd ws wsc wsf wsh xnk'
).split(' ');

/** Archive extensions and (declared or sniffed) content types. */
export const ARCHIVE_EXTENSIONS: readonly string[] =
  'zip rar 7z gz tgz tar bz2 xz cab iso img ace arj lzh z'.split(' ');
const ARCHIVE_TYPES = new Set([
  'application/zip',
  'application/x-zip-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-7z-compressed',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-bzip2',
  'application/x-iso9660-image',
  'application/vnd.ms-cab-compressed',
]);
const EXECUTABLE_TYPES = new Set(['application/x-msdownload', 'application/x-elf']);
// Office Open XML, ODF and Java archives are zip files: a sniffed zip under these names is expected.
const ZIP_BASED = new Set('docx docm xlsx xlsm pptx pptm odt ods odp jar apk epub vsdx'.split(' '));

/**
 * The extensions of a file name, last first, lower-case; trailing dots and spaces (ignored by Windows)
 * removed. `invoice.pdf.exe` gives `['exe', 'pdf']`.
 *
 * @example
 * ```ts
 * extensionsOf('Invoice.PDF.exe. '); // ['exe', 'pdf']
 * ```
 */
export function extensionsOf(filename: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and controls hide the real extension
  const name = trimDotsAndSpaces(filename.replace(/[\u0000-\u001f]/g, ''));
  const parts = name.split('.').slice(1).reverse();
  return parts.map((p) => p.trim().toLowerCase()).filter((p) => p !== '' && p.length <= 16);
}

// Not `/[. ]+$/`: on `a. . . .x` that regex rescans the run from every position (quadratic).
function trimDotsAndSpaces(name: string): string {
  let end = name.length;
  while (end > 0 && (name[end - 1] === '.' || name[end - 1] === ' ')) end--;
  return name.slice(0, end);
}

/** Options of the attachment policy ({@link attachmentViolations}, `blockAttachments`). */
export interface AttachmentPolicyOptions {
  /** Blocked extensions. Default {@link DEFAULT_BLOCKED_EXTENSIONS}; give `[]` to check none. */
  blockedExtensions?: ListInput;
  /** Also block when any inner extension is blocked (`report.exe.pdf`). Default false: the last one. */
  checkInnerExtensions?: boolean;
  /** Block content whose first bytes show an executable, whatever its name or declared type. Default true. */
  blockExecutableContent?: boolean;
  /** Block when the sniffed type contradicts the declared type or the name (a `.pdf` that is a zip). Default false. */
  blockTypeMismatch?: boolean;
  /** Block archives (by extension, declared or sniffed type), whose content cannot be inspected. Default false. */
  blockArchives?: boolean;
  /** Block attached messages (message/rfc822) themselves. Their own attachments are always inspected too. Default false. */
  blockAttachedMessages?: boolean;
  /** Largest attachment in bytes (decoded). */
  maxSize?: number;
  /** Most attachments (inline related images not counted). */
  maxCount?: number;
}

/** An attachment the policy refuses, and why. */
export interface AttachmentViolation {
  filename?: string;
  contentType: string;
  reason: string;
}

/** {@link AttachmentPolicyOptions} checked, with defaults merged. */
export interface AttachmentPolicy {
  blocked: ReadonlySet<string>;
  inner: boolean;
  executables: boolean;
  mismatch: boolean;
  archives: boolean;
  messages: boolean;
  maxSize?: number;
  maxCount?: number;
}

/** Checks and completes attachment policy options, throwing {@link ConfigError} on bad ones. */
export function attachmentPolicy(options: AttachmentPolicyOptions): AttachmentPolicy {
  const blocked = stringList(
    'blockedExtensions',
    options.blockedExtensions ?? DEFAULT_BLOCKED_EXTENSIONS,
    true,
  );
  blocked.forEach((e, i) => {
    if (!/^\.?[a-z0-9_-]{1,16}$/i.test(e))
      throw new ConfigError(`blockedExtensions[${i}]`, `not an extension: ${e}`);
  });
  return {
    blocked: new Set(blocked.map((e) => e.replace(/^\./, '').toLowerCase())),
    inner: options.checkInnerExtensions ?? false,
    executables: options.blockExecutableContent ?? true,
    mismatch: options.blockTypeMismatch ?? false,
    archives: options.blockArchives ?? false,
    messages: options.blockAttachedMessages ?? false,
    maxSize: options.maxSize === undefined ? undefined : countOption('maxSize', options.maxSize, 0),
    maxCount: options.maxCount === undefined ? undefined : countOption('maxCount', options.maxCount, 0),
  };
}

/**
 * The attachments a policy refuses, with reasons. Pure: give it `(await ctx.message.parsed()).attachments`.
 *
 * @example
 * ```ts
 * attachmentViolations(parsed.attachments, attachmentPolicy({ blockArchives: true }));
 * // [{ filename: 'Invoice–2026.pdf.exe', contentType: 'application/pdf', reason: 'blocked extension .exe' }]
 * ```
 */
export function attachmentViolations(
  attachments: readonly AttachmentInfo[],
  policy: AttachmentPolicy,
): AttachmentViolation[] {
  const out: AttachmentViolation[] = [];
  const counted = attachments.filter((a) => !a.related && a.depth === 0);
  for (const a of attachments) {
    const reason = violation(a, policy);
    if (reason) out.push({ filename: a.filename, contentType: a.contentType, reason });
  }
  if (policy.maxCount !== undefined && counted.length > policy.maxCount) {
    out.push({
      contentType: 'multipart/mixed',
      reason: `${counted.length} attachments, at most ${policy.maxCount}`,
    });
  }
  return out;
}

function violation(a: AttachmentInfo, p: AttachmentPolicy): string | undefined {
  const exts = a.filename ? extensionsOf(a.filename) : [];
  const declared = a.contentType.toLowerCase();
  const sniffed = a.sniffedType;
  const checked = p.inner ? exts : exts.slice(0, 1);
  const bad = checked.find((e) => p.blocked.has(e));
  if (bad) return `blocked extension .${bad}`;
  if (p.executables && sniffed && EXECUTABLE_TYPES.has(sniffed)) return `executable content (${sniffed})`;
  if (
    p.archives &&
    (ARCHIVE_TYPES.has(declared) ||
      (sniffed && ARCHIVE_TYPES.has(sniffed) && !ZIP_BASED.has(exts[0] ?? '')) ||
      ARCHIVE_EXTENSIONS.includes(exts[0] ?? ''))
  ) {
    return 'archive';
  }
  if (p.messages && declared === 'message/rfc822') return 'attached message';
  if (p.mismatch && sniffed && sniffed !== declared && !compatible(sniffed, declared, exts[0])) {
    return `declared ${declared} but content is ${sniffed}`;
  }
  if (p.maxSize !== undefined && a.size > p.maxSize) return `${a.size} bytes, at most ${p.maxSize}`;
  return undefined;
}

function compatible(sniffed: string, declared: string, ext: string | undefined): boolean {
  if (declared === 'application/octet-stream') return true;
  if (sniffed === 'application/zip')
    return (
      ZIP_BASED.has(ext ?? '') ||
      declared.includes('zip') ||
      declared.includes('openxmlformats') ||
      declared.includes('opendocument')
    );
  if (sniffed === 'application/x-ole-storage')
    return /msword|ms-excel|ms-powerpoint|ms-outlook|msi/.test(declared);
  if (sniffed === 'image/jpeg') return declared === 'image/jpg' || declared === 'image/pjpeg';
  return false;
}
