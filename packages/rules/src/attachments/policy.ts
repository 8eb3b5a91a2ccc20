import {
  ConfigError,
  isAttachedMessageType,
  type MessagePart,
  messageFileKind,
  nameVariants,
  opensByExtensionOnMac,
  type PartInventory,
  type StructureFinding,
  typeAsClientsRead,
} from '@wmflow/core';
import { countOption, type ListInput, stringList } from '../internal/config.js';

/**
 * The attachment extensions WorkMail and SES refuse themselves.
 *
 * @example
 * ```ts
 * WORKMAIL_BLOCKED_EXTENSIONS.includes('exe'); // true
 * ```
 */
export const WORKMAIL_BLOCKED_EXTENSIONS: readonly string[] = (
  'ade adp app asp bas bat cer chm cmd com cpl crt csh der exe fxp gadget hlp hta inf ins isp its js jse ksh lib ' +
  'lnk mad maf mag mam maq mar mas mat mau mav maw mda mdb mde mdt mdw mdz msc msh msh1 msh2 mshxml msh1xml ' +
  'msh2xml msi msp mst ops pcd pif plg prf prg reg scf scr sct shb shs sys ps1 ps1xml ps2 ps2xml psc1 psc2 tmp ' +
  'url vb vbe vbs vps vsmacros vss vst vsw vxd ws wsc wsf wsh xnk'
).split(' ');

/**
 * Files that WorkMail's list lets through and that malware campaigns deliver by mail because the reader's
 * system opens them with one click and little or no warning: OneNote notebooks with embedded scripts, disk
 * images (which mount and hide their content from Mark-of-the-Web), Excel add-ins and query or SYLK files,
 * app installer and update packages, search and library shortcuts pointing at attacker shares, ClickOnce,
 * XBAP and Java launchers, Java archives, Remote Desktop files, Windows Sandbox configurations, troubleshooting
 * packs, themes and pinned sites that fetch from attacker shares, Access databases, Python and PowerShell
 * scripts (the rest of Outlook's own blocked list), DLLs, macOS disk images, installers, scripts, kernel
 * extensions and binaries, Android and Debian packages, AutoIt and AutoHotkey scripts (campaigns ship them beside
 * their interpreter), animated cursors, macOS location shortcuts (`.fileloc`, `.inetloc`, `.webloc`, `.afploc`,
 * `.ftploc`: a `file://` one runs what it points at), the rest of Outlook's Level 1 list (`.appcontent-ms`,
 * `.cdxml`, `.psdm1`, `.pssc`, `.asx`, `.aspx`, `.pst`), shell scripts (Git for Windows runs `.sh` on a double
 * click) and windowless Ruby scripts (`.rbw`), and archives the guard cannot open (BinHex, StuffIt,
 * RAR recovery volumes, the encoded files WinZip and WinRAR open: `.uue`, `.uu`, `.xxe`, `.bhx`, `.b64`, `.mim`).
 * Mail between people rarely carries any of them; `ALLOWED_EXTENSIONS` (guard) or an explicit
 * `blockedExtensions` lets one through.
 *
 * @example
 * ```ts
 * blockAttachments({ blockedExtensions: DEFAULT_BLOCKED_EXTENSIONS.filter((e) => e !== 'iso') });
 * ```
 */
export const ABUSED_EXTENSIONS: readonly string[] = (
  'one onepkg iso img vhd vhdx xll appx appxbundle msix msixbundle appinstaller library-ms search-ms ' +
  'searchconnector-ms settingcontent-ms appref-ms application jnlp dll jar rdp wsb diagcab diagcfg diagpkg ' +
  'xbap website theme themepack deskthemepack msu ppkg mcl mcf accda accde accdr accdu slk iqy dqy rqy oqy xlam ppam vsto wll ' +
  'xla pl py pyc pyo pyw pyz pyzw psm1 psd1 cnt grp hpj htc bgi printerexport vbp webpnp osd ' +
  'dmg pkg mpkg command terminal tool scpt scptd applescript workflow desktop kext macho elf uif ' +
  'apk dex deb ppa au3 a3x ahk ani hqx sit sitx rev fileloc inetloc webloc afploc ftploc ' +
  'appcontent-ms cdxml psdm1 pssc asx aspx pst ' +
  // macOS disk images that mount on a double click (`.cdr` is also CorelDRAW's: allow it where drawings are mailed;
  // its content cannot clear it, as an image's first 32 KiB may be anything), Apple Archive (extracted with its
  // files' modes), a data link (connects to the UNC path it names), a configuration profile (installs
  // certificates, VPN and proxy settings). Not `.smi`: SAMI captions; the old self-mounting images no longer run.
  'cdr sparseimage dmgpart toast dvdr aar yaa udl mobileconfig ' +
  // Encoded files WinZip (and, for `.uue`, WinRAR) opens as archives of the files encoded inside, by default
  // (attacker round 64): uuencoded, XXencoded, BinHex and MIME-encoded. A `.uue` part is also read for its files.
  // WinZip opens `.uu` as it opens `.uue` (attacker round 106).
  'uue uu xxe bhx b64 mim ' +
  // Windows Media metafiles: `.wax`, `.wvx` and `.wmx` are `.asx` files (Outlook's Level 1 list names only that one)
  // under other names, opened by Windows Media Player, which fetches each `<ref href>` as the list opens: one on a
  // share (`\\host\s\a.mp3`) signs in to it as the user (attacker round 118).
  'wax wvx wmx ' +
  // An Office Data Connection file: Excel opens it and connects to the source it names, a database or a file on a
  // share or a web query (attacker round 119), as it does the `.iqy`, `.dqy`, `.rqy` and `.oqy` files above.
  'odc ' +
  // Scripts that Windows runs on a double click once a commonly installed interpreter has claimed them (attacker
  // round 113), as Python's installer claims `.py` above: Git for Windows associates `.sh` with Git Bash by default,
  // RubyInstaller `.rbw` with `rubyw` (no window). Not `.rb` (mailed between developers; a console opens), nor
  // `.mjs`, `.cjs` or `.class`, which nothing runs by default.
  'sh rbw'
).split(' ');

/**
 * wmflow's default block list: {@link WORKMAIL_BLOCKED_EXTENSIONS} and {@link ABUSED_EXTENSIONS}.
 *
 * @example
 * ```ts
 * blockAttachments({ blockedExtensions: [...DEFAULT_BLOCKED_EXTENSIONS, 'html'] });
 * ```
 */
export const DEFAULT_BLOCKED_EXTENSIONS: readonly string[] = [
  ...WORKMAIL_BLOCKED_EXTENSIONS,
  ...ABUSED_EXTENSIONS,
];

/**
 * Archive extensions and (declared or sniffed) content types.
 *
 * @example
 * ```ts
 * ARCHIVE_EXTENSIONS.includes('7z'); // true
 * ARCHIVE_EXTENSIONS.includes('docx'); // false
 * ```
 */
export const ARCHIVE_EXTENSIONS: readonly string[] =
  'zip zipx rar 7z gz tgz taz tar bz2 tbz tbz2 xz txz lz tlz zst tzst lzma cab iso img ace arj lzh lha z egg alz'.split(
    ' ',
  );
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
  'application/x-xz',
  'application/zstd',
  'application/x-iso9660-image',
  'application/vnd.ms-cab-compressed',
]);
// A file in an archive extracted with an execute bit and no extension (`application/x-unix-executable`) runs too.
const EXECUTABLE_TYPES = new Set([
  'application/x-msdownload',
  'application/x-elf',
  'application/x-mach-binary',
  'application/x-unix-executable',
]);
// Declared types Windows maps to a file extension: a client saving or opening an unnamed part of
// one of these (Outlook: ATT00001.hta) gives it that extension.
const TYPE_EXTENSIONS: Readonly<Record<string, string>> = {
  'application/hta': 'hta',
  'application/x-msdownload': 'exe',
  'application/x-msdos-program': 'exe',
  'application/x-dosexec': 'exe',
  'application/vnd.microsoft.portable-executable': 'exe',
  'application/x-ms-shortcut': 'lnk',
  'application/x-msi': 'msi',
  'application/x-ms-installer': 'msi',
  'application/x-bat': 'bat',
  'application/javascript': 'js',
  'application/x-javascript': 'js',
  'text/javascript': 'js',
  'text/jscript': 'js',
  'text/vbscript': 'vbs',
  'application/x-vbscript': 'vbs',
  'application/x-ms-wsf': 'wsf',
  'application/x-ms-cpl': 'cpl',
  'application/vnd.ms-htmlhelp': 'chm',
  'application/x-chm': 'chm',
  'text/scriptlet': 'sct',
  'application/onenote': 'one',
  'application/msonenote': 'one',
  'application/java-archive': 'jar',
  'application/x-java-archive': 'jar',
  'application/x-java-jnlp-file': 'jnlp',
  'application/x-ms-application': 'application',
  'application/x-ms-xbap': 'xbap',
  'application/x-rdp': 'rdp',
  'application/vnd.ms-excel.addin.macroenabled.12': 'xlam',
  'application/vnd.ms-powerpoint.addin.macroenabled.12': 'ppam',
  'application/x-ms-vsto': 'vsto',
  'application/msaccess.addin': 'accda',
  'application/msaccess.exec': 'accde',
  'application/msaccess.runtime': 'accdr',
  'application/x-apple-diskimage': 'dmg',
  'text/x-python': 'py',
  'application/x-python-code': 'pyc',
  'application/x-iso9660-image': 'iso',
  'application/x-x509-ca-cert': 'cer',
  'application/pkix-cert': 'cer',
  'application/x-internet-signup': 'ins',
  'application/x-msaccess': 'mdb',
  'text/x-ms-iqy': 'iqy',
  // Windows' MIME database maps these too (Excel registers the OLAP query, Internet Explorer the HTML component):
  // an unnamed part of either was delivered while its extension is blocked (attacker round 74).
  'text/x-ms-rqy': 'rqy',
  'text/x-component': 'htc',
  // The types Microsoft documents for serving App Installer packages, and Apple for configuration profiles.
  'application/appinstaller': 'appinstaller',
  'application/msix': 'msix',
  'application/msixbundle': 'msixbundle',
  'application/appx': 'appx',
  'application/appxbundle': 'appxbundle',
  'application/x-apple-aspen-config': 'mobileconfig',
  'application/windows-library+xml': 'library-ms',
  'application/windows-search-connector+xml': 'searchconnector-ms',
  'application/x-mswebsite': 'website',
  'application/x-mplayer2': 'asx',
  'application/x-wmplayer': 'asx',
  'audio/x-ms-wax': 'wax',
  'video/x-ms-wvx': 'wvx',
  'video/x-ms-wmx': 'wmx',
  'text/x-ms-odc': 'odc',
  'application/x-ms-odc': 'odc',
  'application/windows-appcontent+xml': 'appcontent-ms',
  'application/mac-binhex40': 'hqx',
  'application/x-stuffit': 'sit',
};
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
  const exts = new Set<string>();
  for (const name of nameVariants(filename)) {
    for (const p of name.split('.').slice(1).reverse()) {
      const e = p.trim().toLowerCase();
      if (e !== '' && e.length <= 32) exts.add(e);
    }
  }
  return [...exts];
}

/** Options of the attachment policy ({@link attachmentViolations}, `blockAttachments`). */
export interface AttachmentPolicyOptions {
  /** Blocked extensions. Default {@link DEFAULT_BLOCKED_EXTENSIONS}; give `[]` to check none. */
  blockedExtensions?: ListInput;
  /** Also block when any inner extension is blocked (`report.exe.pdf`). Default false: the last one. */
  checkInnerExtensions?: boolean;
  /**
   * Block content whose first bytes show an executable (Windows, Linux or macOS), whatever its name or declared
   * type, and a file without an extension whose `x-unix-mode` sets an execute bit. Default true.
   */
  blockExecutableContent?: boolean;
  /** Block when the sniffed type contradicts the declared type or the name (a `.pdf` that is a zip). Default false. */
  blockTypeMismatch?: boolean;
  /**
   * Block HTML, SVG and MHT files (by name, or declared as attachments) that would run code, load other
   * documents or send what the reader types once a browser opens them: scripts, event handlers, frames,
   * forms, `javascript:` and `data:` page or file URLs, or content the scan cannot read (HTML smuggling,
   * SVG phishing). Default true.
   */
  blockActiveMarkup?: boolean;
  /**
   * Block archives: by extension, declared type, or what the part walk found the bytes to be (any format it
   * recognises, `MessagePart.archiveKind`, whatever the name says; Office/ODF/JAR zips exempt). Default false.
   */
  blockArchives?: boolean;
  /** Block attached messages (message/rfc822) themselves. Their own attachments are always inspected too. Default false. */
  blockAttachedMessages?: boolean;
  /** Largest attachment in bytes (decoded). */
  maxSize?: number;
  /** Most attachments (inline related images not counted). */
  maxCount?: number;
  /**
   * Block structure that cannot be inspected or that clients may read differently: parts, header or nesting
   * limits exceeded, a multipart without a boundary, repeated or disagreeing `Content-Type` /
   * `Content-Disposition` names. Default true.
   */
  blockUninspectable?: boolean;
  /**
   * Deliver S/MIME and OpenPGP content the walk cannot open (encrypted, or signed inside its own envelope:
   * PGP/MIME `multipart/encrypted`, `.pgp` and `.gpg` files) instead of refusing it with the rest of what cannot
   * be inspected: for organizations that receive encrypted mail.
   * What is inside is then not checked. Default false.
   */
  allowSmime?: boolean;
  /**
   * Deliver archives holding encrypted files whose names were read and checked (zip, RAR, 7z without
   * `-mhe`) instead of refusing them with the rest of what cannot be inspected: for organizations that
   * exchange password-protected archives. An archive whose names are hidden (encrypted headers) is not
   * listed, and stays refused unless `allowUnlistedArchives`. Default false.
   */
  allowEncryptedArchives?: boolean;
  /**
   * Deliver archives whose files cannot all be named (a 7z or RAR with encrypted headers, ACE/ARJ/LHA, a damaged archive, a `.rar` that is no RAR, a compressed file whose name
   * does not say what it holds) instead of refusing them: what is inside is then not checked. The names
   * that were read are still checked. The same goes for message files whose attachments are not listed: an
   * Outlook `.msg` or `.oft` file, an Apple Mail `.emlx`, and any message file inside an archive (clients open
   * them and offer the files they carry). Default false ("not knowing is not allowing").
   */
  allowUnlistedArchives?: boolean;
}

/** An attachment (or structure) the policy refuses, and why. */
export interface AttachmentViolation {
  /** The part, as `MessagePart.id` (what `ctx.edit.removeParts` takes); undefined for the message as a whole. */
  partId?: string;
  /** The part's first name, when it has one. */
  filename?: string;
  contentType: string;
  reason: string;
  /** True when removing the part removes the problem (a content part outside signed or encrypted content). */
  strippable: boolean;
}

/** {@link AttachmentPolicyOptions} checked, with defaults merged. */
export interface AttachmentPolicy {
  blocked: ReadonlySet<string>;
  inner: boolean;
  executables: boolean;
  markup: boolean;
  mismatch: boolean;
  archives: boolean;
  messages: boolean;
  maxSize?: number;
  maxCount?: number;
  uninspectable: boolean;
  smime: boolean;
  encryptedArchives: boolean;
  unlistedArchives: boolean;
}

/**
 * Checks and completes attachment policy options, throwing {@link ConfigError} on bad ones.
 *
 * @example
 * ```ts
 * const policy = attachmentPolicy({ blockArchives: true });
 * policy.archives; // true
 * policy.blocked.has('exe'); // true: the default block list
 * attachmentPolicy({ blockedExtensions: ['*.exe'] }); // throws ConfigError (not an extension)
 * ```
 */
export function attachmentPolicy(options: AttachmentPolicyOptions): AttachmentPolicy {
  const blocked = stringList(
    'blockedExtensions',
    options.blockedExtensions ?? DEFAULT_BLOCKED_EXTENSIONS,
    true,
  );
  blocked.forEach((e, i) => {
    if (!/^\.?[a-z0-9_-]{1,32}$/i.test(e))
      throw new ConfigError(`blockedExtensions[${i}]`, `not an extension: ${e}`);
  });
  return {
    blocked: new Set(blocked.map((e) => e.replace(/^\./, '').toLowerCase())),
    inner: options.checkInnerExtensions ?? false,
    executables: options.blockExecutableContent ?? true,
    markup: options.blockActiveMarkup ?? true,
    mismatch: options.blockTypeMismatch ?? false,
    archives: options.blockArchives ?? false,
    messages: options.blockAttachedMessages ?? false,
    maxSize: options.maxSize === undefined ? undefined : countOption('maxSize', options.maxSize, 0),
    maxCount: options.maxCount === undefined ? undefined : countOption('maxCount', options.maxCount, 0),
    uninspectable: options.blockUninspectable ?? true,
    smime: options.allowSmime ?? false,
    encryptedArchives: options.allowEncryptedArchives ?? false,
    unlistedArchives: options.allowUnlistedArchives ?? false,
  };
}

/**
 * The parts a policy refuses, with reasons. Pure: give it `await ctx.message.parts()`. Every part a client
 * could offer as a file counts (any name in any header, any disposition, any type, at any depth), and
 * structure the walk could not inspect is refused too unless `blockUninspectable` is false.
 *
 * @example
 * ```ts
 * attachmentViolations(await ctx.message.parts(), attachmentPolicy({ blockArchives: true }));
 * // [{ partId: '3', filename: 'Invoice–2026.pdf.exe', contentType: 'application/pdf', reason: 'blocked extension .exe', strippable: true }]
 * ```
 */
export function attachmentViolations(
  inventory: PartInventory,
  policy: AttachmentPolicy,
): AttachmentViolation[] {
  const out: AttachmentViolation[] = [];
  const byId = new Map(inventory.parts.map((p) => [p.id, p]));
  for (const part of inventory.parts) {
    const reason = violation(part, policy) ?? unlistedMessage(part, policy);
    if (reason) out.push(describe(part, reason));
  }
  if (policy.uninspectable) {
    for (const f of inventory.findings) {
      if (excused(f, policy)) continue;
      const part = f.partId === undefined ? undefined : byId.get(f.partId);
      out.push({
        partId: f.partId,
        filename: part?.names[0],
        contentType: part?.contentType ?? 'message',
        reason: `uninspectable structure: ${f.reason}`,
        strippable: Boolean(f.strippable && part && !part.container && part.protectedBy === undefined),
      });
    }
  }
  pairAppleDoubles(inventory, out);
  const counted = inventory.parts.filter((p) => p.depth === 0 && !p.related && fileLike(p));
  if (policy.maxCount !== undefined && counted.length > policy.maxCount) {
    out.push({
      contentType: 'multipart/mixed',
      reason: `${counted.length} attachments, at most ${policy.maxCount}`,
      strippable: false,
    });
  }
  return out;
}

// An AppleDouble header and its data part are one file to Apple Mail (attacker round 65): one refused, the other
// goes too, so stripping the header that names `invoice.js` does not leave its script as the data part.
function pairAppleDoubles(inventory: PartInventory, out: AttachmentViolation[]): void {
  const flagged = new Set(out.map((v) => v.partId));
  const pairs = new Map<string, string>();
  for (const part of inventory.parts)
    if (part.appleDouble !== undefined && flagged.has(part.id)) pairs.set(part.appleDouble, part.id);
  if (pairs.size === 0) return;
  for (const part of inventory.parts) {
    const refused = part.appleDouble === undefined ? undefined : pairs.get(part.appleDouble);
    if (refused === undefined || flagged.has(part.id) || part.container) continue;
    out.push(describe(part, `the other half of an AppleDouble file whose part ${refused} is refused`));
  }
}

// OpenPGP files a client decrypts or unpacks and opens (Gpg4win/Kleopatra on a double click) inside an archive.
const OPENPGP_FILES = /\.(?:pgp|gpg)$/i;

/** A message file the walk does not open, or one inside an archive: the files it carries are not listed. */
function unlistedMessage(part: MessagePart, policy: AttachmentPolicy): string | undefined {
  if (!policy.uninspectable) return undefined;
  if (!policy.smime) {
    const pgp = part.innerNames?.find((name) => nameVariants(name).some((n) => OPENPGP_FILES.test(n)));
    if (pgp)
      return `uninspectable structure: an OpenPGP file inside the archive (${pgp}), which clients decrypt and open`;
  }
  if (policy.unlistedArchives) return undefined;
  // Message files a client opens and offers the attachments of, which the walk does not open: Outlook's own
  // formats (OLE files: a message, a template), Apple Mail's (a byte count before the message), or any message
  // file packed in an archive or carried in the part's content.
  const own = part.names.find((name) => {
    const kind = messageFileKind(name);
    return kind === 'outlook' || kind === 'emlx';
  });
  if (own) return `uninspectable structure: a message file (${own}), whose attachments are not listed`;
  // Unnamed (or named without an extension) and declared an Outlook item: Outlook saves it as ATT00001.msg and
  // Thunderbird as `Part 1.2.msg` (the extension Windows maps the type to), and Outlook opens it and offers the
  // files it carries, as it does a part named `.msg` (attacker round 62).
  const implied = bareName(part) ? MESSAGE_TYPE_EXTENSIONS[typeAsClientsRead(part.contentType)] : undefined;
  if (implied !== undefined && messageFileKind(`x.${implied}`) === 'outlook')
    return `uninspectable structure: ${part.names.length === 0 ? 'an unnamed' : 'an extensionless'} ${part.contentType} part (saved as .${implied}), whose attachments are not listed`;
  const packed = part.innerNames?.find((name) => messageFileKind(name) !== undefined);
  if (packed)
    return `uninspectable structure: a message file inside the part (${packed}), whose attachments are not listed`;
  return undefined;
}

// Declared types of message files the walk does not open, and the extension Windows maps each to.
const MESSAGE_TYPE_EXTENSIONS: Readonly<Record<string, string>> = {
  'application/vnd.ms-outlook': 'msg',
};

/** No name, or no name with an extension in any spelling: a client saving the part adds the one its type maps to. */
function bareName(part: MessagePart): boolean {
  return (
    !part.container && part.names.every((n) => nameVariants(n).every((v) => extensionsOf(v).length === 0))
  );
}

/** A finding the policy lets through: S/MIME, encrypted files named and checked, archives not listed. */
function excused(f: StructureFinding, policy: AttachmentPolicy): boolean {
  return Boolean(
    (f.smime && policy.smime) ||
      (f.encrypted && policy.encryptedArchives) ||
      (f.unlisted && policy.unlistedArchives),
  );
}

function describe(part: MessagePart, reason: string): AttachmentViolation {
  return {
    partId: part.id,
    filename: part.names[0],
    contentType: part.contentType,
    reason,
    strippable: !part.container && part.protectedBy === undefined,
  };
}

/** A part a client would list as a file: named, disposed as an attachment, or not a body type. */
function fileLike(p: MessagePart): boolean {
  if (p.names.length > 0 || p.disposition === 'attachment') return true;
  return !p.container && !p.contentType.startsWith('text/');
}

function violation(a: MessagePart, p: AttachmentPolicy): string | undefined {
  // Each spelling a client could take (NUL cut, stream pieces) has its own last extension.
  const exts = a.names.flatMap((n) => nameVariants(n)).map(extensionsOf);
  const declared = a.contentType;
  const sniffed = a.sniffedType;
  const bad = blockedExtension(a.names, p);
  if (bad) return `blocked extension .${bad}`;
  // Exchange names an attachment by its description when it has no other name (attacker round 64).
  const described = a.descriptions && blockedExtension(a.descriptions, p);
  if (described)
    return `blocked extension .${described} (in its Content-Description, which Exchange names it by)`;
  // A file a calendar links to by address (`ATTACH:https://…/invoice.exe`), downloaded by the browser (round 69).
  const linked = a.linkedNames && blockedExtension(a.linkedNames, p);
  if (linked) return `blocked extension .${linked} (a file the part links to by address)`;
  // An extension that is a COM class id (`invoice.pdf.{3050F4D8-…}`): Windows opens the file, or a folder so named,
  // as that class (an HTML Application, a Shell Scrap, a folder shortcut) and does not show the extension (attacker
  // round 117). What it opens as is not known from the name: refused, by any name and any segment of a packed path.
  const classed =
    p.blocked.size > 0
      ? classIdExtension([...a.names, ...(a.descriptions ?? []), ...(a.linkedNames ?? [])])
      : undefined;
  if (classed)
    return `a COM class id as its extension (.${classed}), which Windows opens as that class and does not show: what it runs is not known`;
  const packedClass =
    p.blocked.size > 0
      ? a.innerNames?.find((n) => classIdExtension(n.split(/[/\\]/)) !== undefined)
      : undefined;
  if (packedClass)
    return `a file or folder inside the archive with a COM class id as its extension, which Windows opens as that class: ${packedClass}`;
  // A macOS bundle (`.app`, `.pkg`, `.kext`…) is a folder that runs: a folder of a path counts when it is one.
  const packedName = a.innerNames?.find(
    (n) => blockedExtension([n], p) || blockedExtension(n.split(/[/\\]/).slice(0, -1).filter(isBundle), p),
  );
  if (packedName) return `blocked file inside the archive: ${packedName}`;
  // Unnamed, or named without any extension: a client saving it adds the one its type maps to.
  const bare = exts.every((e) => e.length === 0);
  const implied =
    bare && !a.container
      ? (TYPE_EXTENSIONS[declared] ?? TYPE_EXTENSIONS[typeAsClientsRead(declared)])
      : undefined;
  if (implied && p.blocked.has(implied)) {
    return `${a.names.length === 0 ? 'unnamed' : 'extensionless'} ${declared} (saved as .${implied})`;
  }
  // A file inside with no name, of a type a client names it by (a calendar's `FMTTYPE=application/hta`).
  for (const type of a.unnamedInnerTypes ?? []) {
    const ext = TYPE_EXTENSIONS[type] ?? TYPE_EXTENSIONS[typeAsClientsRead(type)];
    if (ext && p.blocked.has(ext)) return `an unnamed ${type} file inside (saved as .${ext})`;
  }
  if (p.executables && sniffed && EXECUTABLE_TYPES.has(sniffed)) return `executable content (${sniffed})`;
  // Saved by Apple Mail with its execute bit, a file runs in Terminal when opened, whatever it holds (the shell
  // reads text as a script), unless macOS opens it by its extension; Apple Mail saves under any of its names.
  const someBare = a.names.length === 0 || a.names.some((n) => !opensByExtensionOnMac(n));
  if (p.executables && someBare && !a.container && a.unixMode !== undefined && (a.unixMode & 0o111) !== 0)
    return `executable file mode without an extension (x-unix-mode=${a.unixMode.toString(8).padStart(4, '0')})`;
  const packed = a.innerTypes?.find((t) => EXECUTABLE_TYPES.has(t));
  if (p.executables && packed) return `executable content inside (${packed})`;
  if (p.markup && a.activeMarkup) return `a page that runs when opened: ${a.activeMarkup}`;
  // An HTML body whose picture is on a share: Outlook reads it as it shows the message (attacker round 119).
  if (p.markup && a.shownHost) return `a message body with ${a.shownHost}`;
  if (a.container || !fileLike(a)) return undefined;
  const last = exts.map((e) => e[0] ?? '');
  // What the part walk found the part to be (any format it recognises) counts beside the names and types here.
  const zipBased = last.some((e) => ZIP_BASED.has(e));
  if (
    p.archives &&
    (ARCHIVE_TYPES.has(declared) ||
      (sniffed && ARCHIVE_TYPES.has(sniffed) && !zipBased) ||
      (a.archiveKind !== undefined && !(a.archiveKind === 'zip' && zipBased)) ||
      last.some((e) => ARCHIVE_EXTENSIONS.includes(e)))
  ) {
    return 'archive';
  }
  if (p.messages && isAttachedMessageType(declared)) return 'attached message';
  if (p.mismatch && sniffed && sniffed !== declared && !compatible(sniffed, declared, last[0])) {
    return `declared ${declared} but content is ${sniffed}`;
  }
  if (p.maxSize !== undefined && a.size > p.maxSize) return `${a.size} bytes, at most ${p.maxSize}`;
  return undefined;
}

// Folders macOS opens as one file (bundles); other folders named like a file (`chart.js/`, `www.site.com/`) are not.
const BUNDLE_EXTENSIONS = new Set(
  'app pkg mpkg kext scptd workflow action prefpane saver bundle plugin appex xpc'.split(' '),
);

function isBundle(folder: string): boolean {
  return BUNDLE_EXTENSIONS.has(extensionsOf(folder)[0] ?? '');
}

// A class id as an extension: a dot, then a GUID in braces, ending the name (39 characters, read from the end).
const CLASS_ID_EXTENSION = /^\.\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;

/** The class id (`{…}`) that is the last extension of any spelling of the names, or undefined. Linear: one slice each. */
function classIdExtension(names: readonly string[]): string | undefined {
  for (const name of names)
    for (const variant of nameVariants(name)) {
      const tail = variant.slice(-39);
      if (CLASS_ID_EXTENSION.test(tail)) return tail.slice(1);
    }
  return undefined;
}

/** The first blocked extension of any spelling of the names: the last one, or every one with `inner`. */
function blockedExtension(names: readonly string[], p: AttachmentPolicy): string | undefined {
  for (const name of names)
    for (const variant of nameVariants(name)) {
      const exts = extensionsOf(variant);
      const bad = (p.inner ? exts : exts.slice(0, 1)).find((e) => p.blocked.has(e));
      if (bad) return bad;
    }
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
