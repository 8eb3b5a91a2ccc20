import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-4 (guard side): a multipart/mixed with `Content-Transfer-Encoding: quoted-printable` (RFC 2045 §6.4 forbids
// it; Python's email package and SAP write such mail, and the walk's own comment in walk-steps.ts says a client
// that decodes it may find other parts there). QP keeps delimiter lines as they are, so the splitter finds the
// parts and reads their headers and content raw; the walk decodes only the multipart's own opaque text
// (preamble/epilogue) for delimiter-like lines. A client that decodes the multipart first reads
// `filename=3D=22invoice=2Evbs=22` as filename="invoice.vbs", `invoice.v=<CRLF>bs` as invoice.vbs, and
// `=4D=5A…` as an MZ executable. Each is DEFAULT today. Messages: g4/ (mkg4.py).
const stack = useLocalStack();
const kit = attackerKit(stack);
const dir = '/work/main/.scratch/a44/g4';

describe('A44-4: parts of a quoted-printable multipart read raw by the guard', () => {
  for (const name of ['qp-mp-filename', 'qp-mp-name-softbreak', 'qp-mp-exe-content']) {
    it(`refuses ${name}`, async () => {
      const { verdict } = await kit.inbound(readFileSync(`${dir}/${name}.eml`));
      expect(verdict).toBe('BOUNCE');
    });
  }
});
