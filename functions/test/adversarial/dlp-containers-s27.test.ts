import { compressedRtf, tnefStream } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP, attacker round 27: a winmail.dat whose body is its compressed RTF (PR_RTF_COMPRESSED, which
// Outlook shows as the message) and an OLE object whose embedded PDF's stream is not read (streams cross-linked to
// use up the budget, a broken chain) while a clean PDF stream reads fine. Each is read, or refused when it cannot
// be; the same shape with clean content goes through.

const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';

const winmail = (rtfCompressed: Buffer) =>
  kit.outbound(outboundFile('winmail.dat', tnefStream([], { rtfCompressed }), 'application/ms-tnef'));

describe('outbound-policy: containers (attacker round 27)', () => {
  it("reads a winmail.dat's compressed RTF body (PR_RTF_COMPRESSED) as the RTF Outlook shows", async () => {
    const body = `{\\rtf1\\ansi\\ansicpg1252\\pard Card on file: ${CARD}, ${CARD}\\par }`;
    // Back-references: the number is no longer among the file's strings.
    expect(await winmail(compressedRtf(body))).toBe('BOUNCE');
    expect(await winmail(compressedRtf(body, { mode: 'literal' }))).toBe('BOUNCE');
    expect(await winmail(compressedRtf(body, { mode: 'stored' }))).toBe('BOUNCE');
    // Its digits written as \'3x escapes.
    const escaped = CARD.replace(/\d/g, (d) => `\\'3${d}`);
    expect(await winmail(compressedRtf(`{\\rtf1\\ansi Card ${escaped}\\par }`, { mode: 'literal' }))).toBe(
      'BOUNCE',
    );
    // A body that cannot be decompressed is refused.
    const cut = compressedRtf(body);
    cut.writeUInt32LE(0x12345678, 8);
    expect(await winmail(cut)).toBe('BOUNCE');
    expect(
      await winmail(
        compressedRtf('{\\rtf1\\ansi\\ansicpg1252\\pard Thanks for the call, see you on 12 May.\\par }'),
      ),
    ).toBe('DEFAULT');
  });
});
