// Attacker round 117: an extension that is a COM class id (`invoice.pdf.{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}`, the
// HTML Application's) is opened by Windows as that class, its extension not shown; the policy read it as no extension
// (longer than 32 characters), so the name's last was `.pdf`. Refused now, by any name and any segment of a packed
// path, unless no extension is checked at all; names with a GUID elsewhere are not.
import { describe, expect, it } from 'vitest';
import { attachmentPolicy, attachmentViolations } from './policy.js';

const HTA_CLASS = '{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}';
const part = (names: string[], extra: Record<string, unknown> = {}) => ({
  id: '2',
  names,
  contentType: 'application/octet-stream',
  size: 10,
  disposition: 'attachment',
  container: false,
  related: false,
  depth: 0,
  ...extra,
});
const reasons = (p: ReturnType<typeof part>, options = {}) =>
  attachmentViolations({ parts: [p], findings: [] }, attachmentPolicy(options)).map((v) => v.reason);

describe('A117-1: a COM class id as the extension', () => {
  it('is refused in a name, a description, a linked name, and a packed file or folder, saying why', () => {
    expect(reasons(part([`invoice.pdf.${HTA_CLASS}`]))).toEqual([
      `a COM class id as its extension (.${HTA_CLASS}), which Windows opens as that class and does not show: what it runs is not known`,
    ]);
    expect(reasons(part([`invoice.pdf.${HTA_CLASS.toLowerCase()} . `]))).toHaveLength(1);
    expect(reasons(part(['invoice.pdf'], { descriptions: [`invoice.pdf.${HTA_CLASS}`] }))).toHaveLength(1);
    expect(reasons(part(['invite.ics'], { linkedNames: [`https://x.example/a.${HTA_CLASS}`] }))).toHaveLength(
      1,
    );
    expect(reasons(part(['a.zip'], { innerNames: [`docs\\invoice.pdf.${HTA_CLASS}`] }))[0]).toMatch(
      /^a file or folder inside the archive with a COM class id/,
    );
    expect(reasons(part(['a.zip'], { innerNames: [`Photos.${HTA_CLASS}/desktop.ini`] }))).toHaveLength(1);
  });
  it('is not checked with no extension checked (`blockedExtensions: []`)', () => {
    expect(reasons(part([`invoice.pdf.${HTA_CLASS}`]), { blockedExtensions: [] })).toEqual([]);
  });
  it('leaves GUIDs and braces elsewhere alone', () => {
    for (const name of [
      `${HTA_CLASS}.pdf`,
      `export-${HTA_CLASS}.csv`,
      'notes.{draft}',
      'report {1}.docx',
      `a.{3050F4D8-98B5-11CF-BB82-00AA00BDCE0}`,
      `a.3050F4D8-98B5-11CF-BB82-00AA00BDCE0B`,
    ])
      expect(reasons(part([name])), name).toEqual([]);
    expect(reasons(part(['a.zip'], { innerNames: [`${HTA_CLASS}/notes.txt`] }))).toEqual([]);
  });
});
