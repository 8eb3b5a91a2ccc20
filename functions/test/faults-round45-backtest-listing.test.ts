import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 45 (F45-3): the backtest's S3 listing followed NextContinuationToken without checking that the
// listing moves forward. A page that passes F44-5's check (IsTruncated, KeyCount right) but names the token it was
// asked with looped forever (`wmflow backtest s3://…` never ended, its counts growing without bound); a page
// replayed for every continuation (a cache keyed without the query string) with a fresh token each time listed the
// same keys again; a `Contents` entry without a `Key` (F45-3b) was dropped without a word. Each is now refused.
const t = proxiedStack([JOURNAL, UPDATES]);
const KEYS = [
  'journal/inbound/2026/12/05/m1',
  'journal/inbound/2026/12/05/m2',
  'journal/inbound/2026/12/05/m3',
];
const isList = (url: string) => /[?&]list-type=2/.test(url);
const XML = { 'content-type': 'application/xml' };
const page = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${JOURNAL}</Name><Prefix>journal/</Prefix>${inner}</ListBucketResult>`;
const entry = (key: string) => `<Contents><Key>${key}</Key><Size>2000</Size></Contents>`;
/** A page of one key; truncated with `token` as its continuation, or the last page when `token` is undefined. */
const onePage = (key: string, token?: string) =>
  page(
    `<KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>${token !== undefined}</IsTruncated>${
      token === undefined ? '' : `<NextContinuationToken>${token}</NextContinuationToken>`
    }${entry(key)}`,
  );
// The cap stops a listing that never ends: on the old code these tests end at the cap instead of hanging.
const CAP = 25;

beforeAll(async () => {
  for (const [i, key] of KEYS.entries())
    await t.stack.s3.send(
      new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: bigMessage(2_000, `f45-3-${i}`) }),
    );
});

/** The keys the backtest source lists (at most {@link CAP}, then it stops reading), or `refused: <why>`. */
async function listed(): Promise<string[] | string> {
  const s3 = new S3Client({
    endpoint: t.s3p.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  const source = await openSource(`s3://${JOURNAL}/journal/`, { s3 });
  const keys: string[] = [];
  try {
    for await (const k of source.list()) {
      keys.push(k);
      if (keys.length >= CAP) break;
    }
    return keys;
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  } finally {
    await source.close();
  }
}

/** Every listing request is answered by `answer(the continuation token asked with, or null)`. */
function listingBy(answer: (token: string | null) => string) {
  t.s3p.decide = (req) => {
    if (!(req.method === 'GET' && isList(req.url ?? ''))) return { do: 'forward' };
    const token = new URL(req.url ?? '', 'http://x').searchParams.get('continuation-token');
    return { do: 'answer', status: 200, headers: XML, body: answer(token) };
  };
}

/** What a listing gave, in a form an expectation of `refused: …` shows usefully when it fails. */
const shown = (got: string[] | string) =>
  typeof got === 'string' ? got : `listed ${got.length} key(s): ${got.slice(0, 4).join(', ')}`;

describe('F45-3: backtest s3:// listing whose continuation does not move forward', () => {
  it('control: the listing as S3 answers it, and pages that move forward', async () => {
    t.s3p.decide = () => ({ do: 'forward' });
    expect(await listed()).toEqual(KEYS);
    listingBy((token) =>
      token === null
        ? onePage(KEYS[0] as string, 'tok-2')
        : token === 'tok-2'
          ? onePage(KEYS[1] as string, 'tok-3')
          : onePage(KEYS[2] as string),
    );
    expect(await listed()).toEqual(KEYS);
  });

  it('a page that names the token it was asked with: refused, not listed forever', async () => {
    listingBy((token) => onePage((token === null ? KEYS[0] : KEYS[1]) as string, 'tok-2'));
    expect(shown(await listed())).toMatch(/^refused: .*continuation token already used/);
  });

  it('a token asked with before, pages later: refused', async () => {
    listingBy((token) =>
      token === null
        ? onePage(KEYS[0] as string, 'tok-2')
        : token === 'tok-2'
          ? onePage(KEYS[1] as string, 'tok-3')
          : onePage(KEYS[2] as string, 'tok-2'),
    );
    expect(shown(await listed())).toMatch(/^refused: .*continuation token already used/);
  });

  it('the first page replayed for the continuation (a new token each time): refused, no key listed twice', async () => {
    let n = 0;
    listingBy(() => onePage(KEYS[0] as string, `tok-${++n}`));
    expect(shown(await listed())).toMatch(/^refused: .*goes back/);
  });

  it('a later page whose keys go back, or a page whose keys are not ascending: refused', async () => {
    listingBy((token) => (token === null ? onePage(KEYS[1] as string, 'tok-2') : onePage(KEYS[0] as string)));
    expect(shown(await listed())).toMatch(/^refused: .*goes back/);
    listingBy(() =>
      page(
        `<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${entry(KEYS[2] as string)}${entry(KEYS[1] as string)}`,
      ),
    );
    expect(shown(await listed())).toMatch(/^refused: .*goes back/);
  });

  it('keys are compared as S3 orders them (UTF-8 bytes), not in JavaScript string order', async () => {
    // U+FF61 is EF BD A1 in UTF-8 and U+1F600 F0 9F 98 80: S3 lists U+FF61 first, while JavaScript's UTF-16 order
    // (0xFF61 against the surrogate 0xD83D) puts U+1F600 first.
    const halfwidth = 'journal/inbound/2026/12/05/\uFF61';
    const emoji = 'journal/inbound/2026/12/05/\u{1F600}';
    listingBy((token) => (token === null ? onePage(halfwidth, 'tok-2') : onePage(emoji)));
    expect(await listed()).toEqual([halfwidth, emoji]);
    listingBy((token) => (token === null ? onePage(emoji, 'tok-2') : onePage(halfwidth)));
    expect(shown(await listed())).toMatch(/^refused: .*goes back/);
  });
});

describe('F45-3b: a listing page with an entry that names no key', () => {
  it('is refused, not taken for a page with one key fewer', async () => {
    listingBy(() =>
      page(
        `<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${entry(KEYS[0] as string)}<Contents><Size>2000</Size></Contents>`,
      ),
    );
    expect(shown(await listed())).toMatch(/^refused: .*entry without a key/);
  });

  it('an entry with an empty key: refused', async () => {
    listingBy(() =>
      page(
        `<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key></Key><Size>2000</Size></Contents>`,
      ),
    );
    expect(shown(await listed())).toMatch(/^refused: .*entry without a key/);
  });
});
