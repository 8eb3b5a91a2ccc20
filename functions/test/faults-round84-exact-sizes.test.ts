import { makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { describeErrors, invokeUntilAnswered, JOURNAL, sha256, stored } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 84: messages exactly at the size edges of the journal's paths (the spool's 2 MiB memory part, the 5 MiB
// part size of a multipart copy, one byte either side), read with their length announced (one streamed PutObject)
// and chunked without one (parts), the chunked read first cut at the edge (delimited by the connection's close). One
// copy, byte for byte, described by its metadata. Held.
const t = proxiedStack([JOURNAL]);
const MiB = 1024 * 1024;

/** A message of exactly `size` bytes: CRLF lines of 76 characters, the last one shortened. */
function exactly(size: number, seed: string): Buffer {
  const head = Buffer.from(
    `From: a@outside.example\r\nTo: bob@corp.example\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\nSubject: ${seed}\r\nMessage-ID: <${seed}@outside.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n`,
    'latin1',
  );
  const body = Buffer.alloc(size - head.length, 'A');
  for (let i = 76; i + 1 < body.length; i += 78) {
    body[i] = 0x0d;
    body[i + 1] = 0x0a;
  }
  for (let i = 0; i < body.length; i += 78 * 997) body.write(seed.slice(0, 8), i, 'latin1');
  body[body.length - 2] = 0x0d;
  body[body.length - 1] = 0x0a;
  const out = Buffer.concat([head, body]);
  expect(out.length).toBe(size);
  return out;
}

const SIZES = [2 * MiB - 1, 2 * MiB, 2 * MiB + 1, 5 * MiB - 1, 5 * MiB, 5 * MiB + 1, 10 * MiB];

describe('archiver: messages exactly at the journal’s size edges (fault round 84)', () => {
  for (const chunked of [false, true]) {
    it.each(SIZES)(
      `${chunked ? 'chunked (parts)' : 'announced (one PutObject)'}: %i bytes`,
      async (size) => {
        const bytes = exactly(size, `f84-size-${size}-${chunked}`);
        const id = t.stack.flow.load(bytes);
        let gets = 0;
        t.flowp.decide = (req) => {
          if (req.method !== 'GET') return { do: 'forward' };
          gets++;
          // The first read cut exactly at the last edge below the size, delimited by the connection's close (a
          // chunked answer that ends early but well-formed is WorkMail's word: documented as left open since round 7).
          if (gets === 1 && chunked) return { do: 'forward-close-delimited', keep: size - (size % MiB || 1) };
          return chunked ? { do: 'forward-chunked' } : { do: 'forward' };
        };
        const handler = archiver({
          JOURNAL_BUCKET: JOURNAL,
          KEY_TEMPLATE: 'sz/{messageId}',
          ORGANIZATION_DOMAINS: 'corp.example',
          SYNCHRONOUS: 'true',
        });
        const run = await invokeUntilAnswered(
          handler,
          makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
          4,
        );
        expect(run.answered, describeErrors(run.errors)).toBe(true);
        expect(run.attempts).toBe(chunked ? 2 : 1);
        const copy = await stored(t.stack, JOURNAL, `sz/${id}`);
        expect(copy?.length).toBe(size);
        expect(copy?.equals(bytes)).toBe(true);
        const meta = JSON.parse(
          ((await stored(t.stack, JOURNAL, `sz/${id}.json`)) as Buffer).toString('utf8'),
        );
        expect([meta.sha256, meta.size]).toEqual([sha256(bytes), size]);
        const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
        expect(keys.sort()).toEqual([`sz/${id}`, `sz/${id}.json`]);
        t.flowp.decide = () => ({ do: 'forward' });
      },
      120_000,
    );
  }
});
