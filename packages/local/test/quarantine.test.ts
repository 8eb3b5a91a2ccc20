import { spawn } from 'node:child_process';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { FROM_SOURCE, jsonLines, ROOT, wmflow } from './replay-helpers.js';

// `wmflow quarantine` over a local S3 laid out as template-ses.yaml's receipt rules store mail: the guard's
// STOP_RULE sent two messages to quarantine/, one was delivered.
const BUCKET = 'acme-inbound';
let stack: LocalStack;
const spam = Buffer.from(
  'X-SES-Spam-Verdict: FAIL\r\nX-SES-Virus-Verdict: PASS\r\nFrom: "Prize" <win@lottery.example>\r\n' +
    'To: bob@corp.example\r\nSubject: =?utf-8?q?Gewinn_f=C3=BCr_Sie?=\r\nMessage-ID: <p1@lottery.example>\r\n\r\n' +
    'Gro\xdfe Gewinne\r\n',
  'latin1',
);
const newsletter = Buffer.from(
  `From: news@shop.example\r\nTo: ann@corp.example, bob@corp.example\r\nSubject: Deals\r\nList-Unsubscribe: <mailto:u@shop.example>\r\n\r\n${'x'.repeat(200_000)}\r\n`,
);
const read = async (key: string) => {
  const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(
    await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
};

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  const put = (Key: string, Body: Buffer) =>
    stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await put('quarantine/0a1b2c', spam);
  await put('quarantine/9z8y7x', newsletter);
  await put('delivered/kept', Buffer.from('From: a@b.example\r\n\r\nhi\r\n'));
});
afterAll(async () => {
  await stack.stop();
});

describe('wmflow quarantine', () => {
  it('lists the quarantined messages from their headers, SES verdicts included', async () => {
    const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`, '--json'], stack.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(`wmflow quarantine: 2 message(s) under s3://${BUCKET}/quarantine/\n`);
    expect(jsonLines(run.stdout)).toEqual([
      expect.objectContaining({
        key: 'quarantine/0a1b2c',
        size: spam.length,
        from: 'win@lottery.example',
        to: ['bob@corp.example'],
        subject: 'Gewinn für Sie',
        messageId: '<p1@lottery.example>',
        spamVerdict: 'FAIL',
        virusVerdict: 'PASS',
      }),
      expect.objectContaining({
        key: 'quarantine/9z8y7x',
        size: newsletter.length,
        to: ['ann@corp.example', 'bob@corp.example'],
        subject: 'Deals',
        spamVerdict: '',
      }),
    ]);
    const table = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`], stack.env);
    expect(table.stdout).toContain(
      'from win@lottery.example to bob@corp.example  "Gewinn für Sie"  (spam FAIL, virus PASS)',
    );
  });

  it('shows a message byte for byte, 8-bit and CRLF as stored', async () => {
    const child = spawn(
      process.execPath,
      [...FROM_SOURCE, 'quarantine', 'show', `s3://${BUCKET}/quarantine/0a1b2c`],
      {
        cwd: ROOT,
        env: { ...process.env, ...stack.env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(Buffer.concat(chunks).equals(spam)).toBe(true);
  });

  it('releases to the delivery prefix byte for byte, once: a second release changes nothing', async () => {
    const args = [
      'quarantine',
      'release',
      `s3://${BUCKET}/quarantine/9z8y7x`,
      '--to',
      `s3://${BUCKET}/delivered/`,
    ];
    const first = await wmflow(args, stack.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      `released: s3://${BUCKET}/quarantine/9z8y7x -> s3://${BUCKET}/delivered/9z8y7x\n`,
    );
    expect((await read('delivered/9z8y7x')).equals(newsletter)).toBe(true);
    const again = await wmflow([...args, '--json'], stack.env);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout)).toEqual([
      {
        from: `s3://${BUCKET}/quarantine/9z8y7x`,
        to: `s3://${BUCKET}/delivered/9z8y7x`,
        outcome: 'already released',
      },
    ]);
    expect((await read('delivered/9z8y7x')).equals(newsletter)).toBe(true);
  });

  it('never overwrites a delivered message of the same name, and fails (exit 1) for a message that is not there', async () => {
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'quarantine/kept', Body: spam }));
    const clash = await wmflow(
      [
        'quarantine',
        'release',
        `s3://${BUCKET}/quarantine/kept`,
        `s3://${BUCKET}/quarantine/gone`,
        '--to',
        `s3://${BUCKET}/delivered`,
      ],
      stack.env,
    );
    expect(clash.code).toBe(1);
    expect(clash.stdout).toBe('');
    expect(clash.stderr).toContain(
      `s3://${BUCKET}/quarantine/kept not released: s3://${BUCKET}/delivered/kept already holds another message`,
    );
    expect((await read('delivered/kept')).toString()).toBe('From: a@b.example\r\n\r\nhi\r\n');
    expect(clash.stderr).toContain(`wmflow quarantine: s3://${BUCKET}/quarantine/gone not released:`);
  });

  it('lists a message whose headers cannot be read, says why, and exits 1', async () => {
    const proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3);
    try {
      proxy.decide = (req) =>
        // The message's own read (not the record of its hold under held/, fault round 70).
        req.method === 'GET' && (req.url ?? '').includes('quarantine/0a1b2c')
          ? {
              do: 'answer',
              status: 403,
              headers: { 'content-type': 'application/xml' },
              body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
            }
          : { do: 'forward' };
      const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`, '--json'], {
        ...stack.env,
        AWS_ENDPOINT_URL_S3: proxy.endpoint,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^wmflow quarantine: \d message\(s\) under s3:\/\/\S+, 1 whose headers could not be read\n$/,
      );
      const lines = jsonLines(run.stdout);
      const denied = lines.find((l) => l.key === 'quarantine/0a1b2c');
      const read = lines.find((l) => l.key === 'quarantine/9z8y7x');
      expect(denied).toMatchObject({ size: spam.length, from: '', error: 'AccessDenied: Access Denied' });
      expect(read).toMatchObject({ subject: 'Deals' });
      expect(read?.error).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('refuses what is not an s3:// place or names a prefix as a message', async () => {
    const bad = await wmflow(['quarantine', 'list', '/tmp/quarantine'], stack.env);
    expect([bad.code, bad.stderr]).toEqual([
      1,
      'wmflow quarantine: /tmp/quarantine: give s3://bucket/prefix\n',
    ]);
    const prefix = await wmflow(
      ['quarantine', 'release', `s3://${BUCKET}/quarantine/`, '--to', `s3://${BUCKET}/delivered/`],
      stack.env,
    );
    expect(prefix.code).toBe(1);
    expect(prefix.stderr).toContain('name a message, not a prefix');
  });
});
