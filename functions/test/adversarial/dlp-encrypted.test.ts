import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP and password-protected zips: their files cannot be read, so by default they bounce (not
// knowing is not allowing); ALLOW_ENCRYPTED_ARCHIVES sends them unread for organisations that mean to.

const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';
const zipped = (zip: Buffer) =>
  mail(
    ['From: Bob <bob@corp.example>', MIXED],
    withPart(
      `Content-Type: application/zip; name="statements.zip"\r\nContent-Disposition: attachment; filename="statements.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n${zip.toString('base64')}`,
    ),
  );
const ENCRYPTED = zipped(
  zipFile([{ name: 'statement.csv', data: 'date,amount\n2026-11-30,12.00\n', encrypted: true }]),
);
const MIXED_ZIP = zipped(
  zipFile([
    { name: 'secret.csv', data: 'x', encrypted: true },
    { name: 'readme.txt', data: `Card for the booking: ${CARD}` },
  ]),
);
const PLAIN = zipped(zipFile([{ name: 'statement.csv', data: 'date,amount\n2026-11-30,12.00\n' }]));

describe('outbound-policy: password-protected zips', () => {
  it('bounces one at its defaults (its content cannot be read)', async () => {
    expect(await kit.outbound(ENCRYPTED)).toBe('BOUNCE');
    expect(await kit.outbound(PLAIN)).toBe('DEFAULT');
  });

  it('ALLOW_ENCRYPTED_ARCHIVES=true sends it, and still reads the archive’s other files', async () => {
    const allow = { ALLOW_ENCRYPTED_ARCHIVES: 'true' };
    expect(await kit.outbound(ENCRYPTED, allow)).toBe('DEFAULT');
    expect(await kit.outbound(MIXED_ZIP, allow)).toBe('BOUNCE');
    expect(await kit.outbound(MIXED_ZIP)).toBe('BOUNCE');
  });

  it('refuses a setting that is not a flag, naming it', async () => {
    await expect(kit.outbound(ENCRYPTED, { ALLOW_ENCRYPTED_ARCHIVES: 'sometimes' })).rejects.toThrow(
      /ALLOW_ENCRYPTED_ARCHIVES/,
    );
  });
});
