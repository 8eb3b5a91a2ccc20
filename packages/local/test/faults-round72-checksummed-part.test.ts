import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, wmflowWithin } from './replay-helpers.js';

// Fault round 72: `wmflow quarantine show` and `wmflow backtest s3://…` read objects with the SDK's default checksum
// validation. An answer carrying a full-object `x-amz-checksum-*` header reaches them wrapped in the SDK's checksum
// stream, which has no status or headers, so round 47's refusal of a part of the object (206, Content-Range) was not
// made: a part with its own checksum — what S3 answers to `partNumber=1`, served for the whole object by something in
// between — was written by `show` as the message, exit 0, and judged by `backtest` as the journal copy. Here a server
// stands in for S3: it lists one journal copy, has no metadata object, and answers every other GET with such a part.
const whole = Buffer.concat([
  Buffer.from('From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: r72 part\r\n\r\n'),
  Buffer.alloc(40_000, 'r72 held line\r\n'),
]);
const part = whole.subarray(0, 10_000);
const crc = (b: Buffer) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(b));
  return sum.toString('base64');
};
let server: Server;
let endpoint: string;
let dir: string;
/** The control: every GET answered with the whole object and its checksum. */
let answerWhole = false;
const LISTING = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>acme-journal</Name><Prefix>journal/</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>journal/m1</Key><LastModified>2026-12-01T00:00:00.000Z</LastModified><ETag>"0123456789abcdef0123456789abcdef-4"</ETag><Size>${whole.length}</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>`;
const NO_KEY = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R</RequestId><HostId>H</HostId></Error>`;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r72-part-'));
  await writeFile(
    join(dir, 'sound.mjs'),
    `export const handler = async () => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n`,
  );
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '';
      if (url.includes('list-type=2')) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(LISTING);
        return;
      }
      if (url.split('?')[0]?.endsWith('.json')) {
        res.writeHead(404, { 'content-type': 'application/xml' });
        res.end(req.method === 'HEAD' ? undefined : NO_KEY);
        return;
      }
      if (answerWhole) {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(whole.length),
          etag: '"0123456789abcdef0123456789abcdef"',
          'x-amz-checksum-crc32': crc(whole),
        });
        res.end(whole);
        return;
      }
      res.writeHead(206, {
        'content-type': 'application/octet-stream',
        'content-length': String(part.length),
        'content-range': `bytes 0-${part.length - 1}/${whole.length}`,
        etag: '"0123456789abcdef0123456789abcdef-4"',
        'x-amz-mp-parts-count': '4',
        'x-amz-checksum-crc32': crc(part),
      });
      res.end(part);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const ENV = () => ({
  AWS_ENDPOINT_URL_S3: endpoint,
  AWS_S3_FORCE_PATH_STYLE: 'true',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_SUPPORTED',
  AWS_MAX_ATTEMPTS: '1',
});

describe('F72-2: a part of the object with its own checksum, read by the CLI', () => {
  it('quarantine show: exit 1, never the part given as the message', async () => {
    const run = await wmflowWithin(['quarantine', 'show', 's3://acme-inbound/quarantine/r72'], ENV());
    expect(run.hung, 'the command hung').toBe(false);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/part of the object/);
  }, 90_000);

  it('backtest s3://…: the message is a failed line, never judged on the part', async () => {
    const run = await wmflowWithin(
      [
        'backtest',
        's3://acme-journal/journal/',
        '--handler',
        join(dir, 'sound.mjs'),
        '--against',
        'recorded',
      ],
      ENV(),
    );
    expect(run.hung, 'the run hung').toBe(false);
    const lines = jsonLines(run.stdout).filter((l) => 'key' in l);
    expect(lines.map((l) => l.key)).toEqual(['journal/m1']);
    const candidate = lines[0]?.candidate as { label: string; error: { message: string } | null };
    expect(candidate.label, run.stdout).toBe('');
    expect(candidate.error?.message).toMatch(/part of the object/);
  }, 90_000);

  it('control: the whole object with its checksum: show writes it byte for byte, backtest judges it', async () => {
    answerWhole = true;
    try {
      const show = await wmflowWithin(['quarantine', 'show', 's3://acme-inbound/quarantine/r72'], ENV());
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toBe(whole.toString('latin1'));
      const run = await wmflowWithin(
        [
          'backtest',
          's3://acme-journal/journal/',
          '--handler',
          join(dir, 'sound.mjs'),
          '--against',
          'recorded',
        ],
        ENV(),
      );
      expect(run.code, run.stderr).toBe(0);
      const lines = jsonLines(run.stdout).filter((l) => 'key' in l);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.candidate).toMatchObject({ error: null });
    } finally {
      answerWhole = false;
    }
  }, 90_000);
});
