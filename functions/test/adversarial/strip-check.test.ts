import { describe, expect, it } from 'vitest';
import { MIXED, mail, withPart } from './attacker-kit.js';
import { expectStripped } from './strip-check.js';

// The strip check must not pass on a message whose hostile part stayed: only the removal note in its place counts.

const PAYLOAD = 'MsgBox "strip-check"';
const vbs = (encoding: string, body: string) =>
  `Content-Type: text/vbscript; name="run.vbs"\r\nContent-Disposition: attachment; filename="run.vbs"\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${body}`;
const ORIGINAL = mail([MIXED], withPart(vbs('7bit', PAYLOAD)));
const NOTE = 'An attachment was removed by mail policy.';

describe('expectStripped', () => {
  it('fails on a message that was not rewritten', async () => {
    await expect(expectStripped(ORIGINAL, ORIGINAL)).rejects.toThrow(/not rewritten/);
  });

  it('fails when the part stayed, re-encoded as quoted-printable (its bytes are gone, the file is not)', async () => {
    const reencoded = mail([MIXED], withPart(vbs('quoted-printable', 'MsgBox =22strip-check=22')));
    expect(reencoded.toString('latin1')).not.toContain(PAYLOAD);
    await expect(expectStripped(ORIGINAL, reencoded)).rejects.toThrow();
  });

  it('fails when the note is there but the file too, renamed', async () => {
    const renamed = mail(
      [MIXED],
      withPart(`Content-Type: text/plain; name="run.txt"\r\nContent-Disposition: attachment\r\n\r\n${NOTE}`),
    );
    await expect(expectStripped(ORIGINAL, renamed)).rejects.toThrow();
  });

  it('passes when the part is replaced by the note in its place', async () => {
    const stripped = mail(
      [MIXED],
      withPart(
        `Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${NOTE}`,
      ),
    );
    await expectStripped(ORIGINAL, stripped);
  });
});
