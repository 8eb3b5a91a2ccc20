import { gzipSync } from 'node:zlib';
import { tarArchive, tarEntry, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 12 (attacker round 113 made the guard bounce `.sh` and `.rbw` attachments at its defaults, in
// archives too): an install script mailed between developers, and a source tarball holding `configure.sh`, are
// bounced at the defaults (decided: Git for Windows runs a `.sh` on a double click, and Explorer and 7-Zip open a
// file inside a zip or a tarball by its association); the bounce says which file, and `ALLOWED_EXTENSIONS=sh`, written
// as an administrator may write it, delivers each.
const kit = attackerKit(useLocalStack());
const INSTALL = '#!/bin/sh\nset -eu\nnpm ci\nnpm run build\n';
const tarball = () =>
  gzipSync(
    tarArchive(
      tarEntry('proj-1.2/configure.sh', Buffer.from(INSTALL)),
      tarEntry('proj-1.2/src/main.c', Buffer.from('int main(void) { return 0; }\n')),
      tarEntry('proj-1.2/README', Buffer.from('Run ./configure.sh then make.\n')),
    ),
  );
const cases: Record<string, () => Buffer> = {
  'install.sh attached': () => attachedFile('install.sh', Buffer.from(INSTALL), 'application/x-sh')[0],
  'a source tarball holding configure.sh': () =>
    attachedFile('proj-1.2.tar.gz', tarball(), 'application/gzip')[0],
  'a zip of sources holding scripts/build.sh': () =>
    attachedFile(
      'proj.zip',
      zipFile([
        { name: 'proj/scripts/build.sh', data: INSTALL },
        { name: 'proj/src/index.ts', data: 'export {};\n' },
      ]),
      'application/zip',
    )[0],
};

describe('FP12-5: shell scripts between developers (bounced at the defaults: decided)', () => {
  for (const [name, message] of Object.entries(cases)) {
    it(`${name}: bounced`, async () => {
      const { verdict } = await kit.inbound(message());
      expect(verdict).toBe('BOUNCE');
    });
  }
});

describe('FP12-5: ALLOWED_EXTENSIONS=sh delivers them', () => {
  for (const allowed of ['sh', 'SH', '.sh', 'py, sh', 'sh,rbw']) {
    for (const [name, message] of Object.entries(cases)) {
      it(`${name} (ALLOWED_EXTENSIONS=${allowed})`, async () => {
        expect((await kit.inbound(message(), { ALLOWED_EXTENSIONS: allowed })).verdict).toBe('DEFAULT');
      });
    }
  }
  it('an executable beside the script in a tarball is still bounced', async () => {
    const withExe = gzipSync(
      tarArchive(
        tarEntry('proj/configure.sh', Buffer.from(INSTALL)),
        tarEntry('proj/setup.exe', Buffer.from('MZ')),
      ),
    );
    const [message] = attachedFile('proj.tar.gz', withExe, 'application/gzip');
    expect((await kit.inbound(message, { ALLOWED_EXTENSIONS: 'sh' })).verdict).toBe('BOUNCE');
  });
});
