import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Third false-positive hunt: an OpenPGP public key or detached signature saved as `.asc` and attached with the
// type the sender's system gives an unknown extension (Outlook with Gpg4win or Kleopatra, Apple Mail, webmail:
// application/octet-stream or text/plain). threat-model.md refuses "armored `.asc` files that are not signatures
// or keys"; the guard decided by the declared type alone (application/pgp-keys, application/pgp-signature), so a
// key or a signature declared otherwise was bounced as OpenPGP data. What decides must be what the file holds,
// read packet by packet, never its armor label: a literal-data or encrypted packet under a key's label stays refused.
const stack = useLocalStack();
const kit = attackerKit(stack);

// A throwaway Ed25519 key (Dave Partner <dave@partner.example>), as `gpg --armor --export` writes it.
const PUBLIC_KEY = [
  '-----BEGIN PGP PUBLIC KEY BLOCK-----',
  '',
  'mDMEaxT6UxYJKwYBBAHaRw8BAQdAV/9NXCwuRQXI81ZPBMVH8rmsl3gr8EvbpPIV',
  '5OBBWdS0I0RhdmUgUGFydG5lciA8ZGF2ZUBwYXJ0bmVyLmV4YW1wbGU+iJYEExYI',
  'AD4WIQSa5g/XvjSh5qncnFUVfdhHUb7+bwUCaxT6UwIbAwUJAeEzgAULCQgHAgYV',
  'CgkICwIEFgIDAQIeAQIXgAAKCRAVfdhHUb7+b8KkAQDGOU7v3+gEIe9BhUX6VGip',
  'ggmpZ0KvUkh4V0uzmxXfJgD+LErnKrN3sZ7FJAPWFT0UAQylyTCZ51gFU7QbGSjK',
  'wgQ=',
  '=T0E0',
  '-----END PGP PUBLIC KEY BLOCK-----',
  '',
].join('\r\n');
// A detached signature by that key (`gpg --armor --detach-sign`), as a release's `.tar.gz.asc`.
const SIGNATURE = [
  '-----BEGIN PGP SIGNATURE-----',
  '',
  'iHUEABYIAB0WIQSa5g/XvjSh5qncnFUVfdhHUb7+bwUCaxT8iQAKCRAVfdhHUb7+',
  'b+gsAQDYGQ56WrQnR6YQe5/QnEl57TlvH6H0wRuJ6QG2CjuufwEAtFWRifqPvnFT',
  '5v3AI4vNQZHkhMW1rKmc64Kqe16GjgI=',
  '=ljDw',
  '-----END PGP SIGNATURE-----',
  '',
].join('\r\n');
// A literal-data packet (tag 11) holding Invoice.js, under a public key's armor label.
const literal = (() => {
  const name = Buffer.from('Invoice.js');
  const body = Buffer.concat([
    Buffer.from([0x62, name.length]),
    name,
    Buffer.alloc(4),
    Buffer.from('WScript.Echo(1)'),
  ]);
  return Buffer.concat([Buffer.from([0xcb, body.length]), body]).toString('base64');
})();
const LABELLED_LITERAL = [
  '-----BEGIN PGP PUBLIC KEY BLOCK-----',
  '',
  literal,
  '-----END PGP PUBLIC KEY BLOCK-----',
  '',
].join('\r\n');
const MESSAGE = ['-----BEGIN PGP MESSAGE-----', '', literal, '-----END PGP MESSAGE-----', ''].join('\r\n');
// A key and then a message in one file: GnuPG reads every armored block it holds.
const KEY_THEN_MESSAGE = PUBLIC_KEY + MESSAGE;
// A signature's label over a signature packet followed by the literal data it signs (an opaque signed file).
const SIGNED_DATA = [
  '-----BEGIN PGP SIGNATURE-----',
  '',
  Buffer.concat([
    Buffer.from(SIGNATURE.split('\r\n').slice(2, 5).join(''), 'base64'),
    Buffer.from(literal, 'base64'),
  ]).toString('base64'),
  '-----END PGP SIGNATURE-----',
  '',
].join('\r\n');

const asc = (name: string, text: string, type: string) => attachedFile(name, Buffer.from(text), type)[0];

describe('false positives, round 3: OpenPGP keys and signatures declared as any file', () => {
  for (const type of ['application/octet-stream', 'text/plain']) {
    it(`delivers a public key .asc declared ${type}`, async () => {
      const { verdict } = await kit.inbound(asc('OpenPGP_0x157DD84751BEFE6F.asc', PUBLIC_KEY, type));
      expect(verdict).toBe('DEFAULT');
    });

    it(`delivers a detached signature .asc declared ${type}`, async () => {
      const { verdict } = await kit.inbound(asc('tool-1.2.tar.gz.asc', SIGNATURE, type));
      expect(verdict).toBe('DEFAULT');
    });

    it(`still refuses an armored message .asc declared ${type}`, async () => {
      expect((await kit.inbound(asc('Invoice.js.asc', MESSAGE, type))).verdict).toBe('BOUNCE');
    });

    it(`still refuses literal data under a key's armor label, declared ${type}`, async () => {
      expect((await kit.inbound(asc('key.asc', LABELLED_LITERAL, type))).verdict).toBe('BOUNCE');
    });

    it(`still refuses a key followed by a message in the same file, declared ${type}`, async () => {
      expect((await kit.inbound(asc('key.asc', KEY_THEN_MESSAGE, type))).verdict).toBe('BOUNCE');
    });

    it(`still refuses a signature's label over signed literal data, declared ${type}`, async () => {
      expect((await kit.inbound(asc('report.asc', SIGNED_DATA, type))).verdict).toBe('BOUNCE');
    });
  }
});
