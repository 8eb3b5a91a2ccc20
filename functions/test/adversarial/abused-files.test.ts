import { ConfigError } from '@wmflow/core';
import { ABUSED_EXTENSIONS } from '@wmflow/rules';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { expectStripped } from './strip-check.js';

// Files WorkMail's own list lets through and campaigns send because Windows opens them in one click
// (OneNote, disk images, Excel add-ins, app packages, search shortcuts): the guard refuses them at its defaults.

const stack = useLocalStack();
const kit = attackerKit(stack);

/** A message whose attachment is `invoice.<extension>`, its content tagged. */
function sending(extension: string): [Buffer, string] {
  const tag = `wmflow-abused-${extension}`;
  const part = `Content-Type: application/octet-stream; name="invoice.${extension}"\r\nContent-Disposition: attachment; filename="invoice.${extension}"\r\n\r\n${tag}`;
  return [mail([MIXED], withPart(part)), tag];
}

const CASES = Object.fromEntries(ABUSED_EXTENSIONS.map((e) => [`an .${e} file`, sending(e)]));

describe('abused file types through the guard at its defaults', () => {
  attachmentTests(kit, CASES);

  it('ALLOWED_EXTENSIONS lets the listed types through and no other', async () => {
    const env = { ALLOWED_EXTENSIONS: '.ISO, one' };
    expect((await kit.inbound(sending('iso')[0], env)).verdict).toBe('DEFAULT');
    expect((await kit.inbound(sending('one')[0], env)).verdict).toBe('DEFAULT');
    expect((await kit.inbound(sending('img')[0], env)).verdict).toBe('BOUNCE');
    expect((await kit.inbound(sending('xll')[0], env)).verdict).toBe('BOUNCE');
  });

  it('a script type named without an extension (a client saving it adds .vbs) is refused', async () => {
    const part =
      'Content-Type: text/vbscript; name="invoice"\r\nContent-Disposition: attachment; filename="invoice"\r\n\r\nMsgBox "extensionless"';
    const message = mail([MIXED], withPart(part));
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    const stripped = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
    expect(stripped.verdict).toBe('DEFAULT');
    expect(stripped.delivered.toString('latin1')).not.toContain('extensionless');
    await expectStripped(message, stripped.delivered);
  });

  it('a plain document is still delivered', async () => {
    expect((await kit.inbound(sending('pdf')[0])).verdict).toBe('DEFAULT');
  });

  it('refuses to allow a type WorkMail itself refuses, naming the setting', () => {
    const build = () => guard({ ALLOWED_EXTENSIONS: 'iso,exe' });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/ALLOWED_EXTENSIONS\[1\].*"exe" is not one of the abused file types/);
  });
});
