import { Sha256 as JsSha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { isPlainSignedPath, signGet } from './sign-get.js';

// The SDK's signer with a pure-JavaScript SHA-256: a reference that shares no hashing code with signGet.
function sdkHeaders(
  host: string,
  path: string,
  region: string,
  credentials: AwsCredentialIdentity,
  date: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials, region, service: 'workmailmessageflow', sha256: JsSha256 });
  const [hostname, port] = host.split(':');
  return signer
    .sign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: hostname ?? host,
        ...(port ? { port: Number(port) } : {}),
        path,
        query: {},
        headers: { host },
      },
      { signingDate: date },
    )
    .then((r) => r.headers);
}

describe('signGet: the SDK signer’s headers for the message read', () => {
  it('gives the very headers the SDK signer gives, across regions, hosts, paths, dates and credentials', async () => {
    const hosts = ['workmailmessageflow.eu-west-1.amazonaws.com', '127.0.0.1:4566', 'localhost:8080'];
    const regions = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
    const credentials: AwsCredentialIdentity[] = [
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      {
        accessKeyId: 'ASIATEMP',
        secretAccessKey: 'temp/secret+key',
        sessionToken: 'IQoJb3JpZ2luX2VjE//token==',
      },
      { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other' },
    ];
    // Around midnight (a new signing key each day), and seconds apart (one key, many signatures).
    const dates = [
      new Date('2026-11-29T23:59:59Z'),
      new Date('2026-11-30T00:00:00Z'),
      new Date('2026-11-30T00:00:01.999Z'),
      new Date('2027-03-31T12:34:56.001Z'),
    ];
    let compared = 0;
    for (const [i, date] of dates.entries())
      for (const [j, c] of credentials.entries())
        for (const [k, region] of regions.entries()) {
          const host = hosts[(i + j + k) % hosts.length] as string;
          const path = `${k === 1 ? '/base' : ''}/messages/${i}${j}${k}-a.b_c~d`;
          const lean = signGet({ host, path, region, service: 'workmailmessageflow', credentials: c, date });
          expect(lean).toEqual(await sdkHeaders(host, path, region, c, date));
          compared++;
        }
    expect(compared).toBe(36);
  });

  it('signs the same request the same way whatever was signed before (the key follows credentials and day)', async () => {
    const a = { accessKeyId: 'A', secretAccessKey: 'first' };
    const b = { accessKeyId: 'A', secretAccessKey: 'second' };
    const date = new Date('2026-11-30T10:00:00Z');
    const get = (credentials: AwsCredentialIdentity, region = 'eu-west-1') =>
      signGet({ host: 'h', path: '/messages/m', region, service: 'workmailmessageflow', credentials, date });
    const first = get(a);
    expect(get(b).authorization).not.toBe(first.authorization);
    expect(get(a, 'us-east-1').authorization).not.toBe(first.authorization);
    expect(get(a)).toEqual(first);
    expect(first).toEqual(await sdkHeaders('h', '/messages/m', 'eu-west-1', a, date));
  });

  it('does not take one region and service for another that spells the same scope', async () => {
    const c = { accessKeyId: 'A', secretAccessKey: 'S' };
    const date = new Date('2026-11-30T10:00:00Z');
    // "20261130/a/b/c/aws4_request" either way; the signing key is derived from the parts, not the scope.
    for (const [region, service] of [
      ['a/b', 'c'],
      ['a', 'b/c'],
    ] as const) {
      const lean = signGet({ host: 'h', path: '/messages/m', region, service, credentials: c, date });
      const signer = new SignatureV4({ credentials: c, region, service, sha256: JsSha256 });
      const request = { method: 'GET', protocol: 'https:', hostname: 'h', path: '/messages/m', query: {} };
      const sdk = await signer.sign({ ...request, headers: { host: 'h' } }, { signingDate: date });
      expect(lean, `${region} ${service}`).toEqual(sdk.headers);
    }
  });
});

describe('isPlainSignedPath', () => {
  it('accepts only paths the SDK signer leaves as written', () => {
    for (const path of ['/messages/abc-123', '/base/messages/a.b_c~d', '/messages/...x', '/a/.b/..c'])
      expect(isPlainSignedPath(path), path).toBe(true);
    for (const path of [
      '',
      '/',
      'messages/x',
      '/messages/',
      '//messages/x',
      '/messages//x',
      '/a/./x',
      '/a/../x',
      '/messages/..',
      '/messages/.',
      '/messages/a%2Fb',
      '/messages/a b',
      '/messages/a+b',
      '/messages/ä',
    ])
      expect(isPlainSignedPath(path), path).toBe(false);
  });

  it('agrees with the SDK signer: a path it calls plain is signed as written', async () => {
    const c = { accessKeyId: 'A', secretAccessKey: 'S' };
    const date = new Date('2026-11-30T10:00:00Z');
    for (const path of ['/messages/abc-123', '/a/.b/..c/messages/...x']) {
      const lean = signGet({
        host: 'h',
        path,
        region: 'eu-west-1',
        service: 'workmailmessageflow',
        credentials: c,
        date,
      });
      expect(lean).toEqual(await sdkHeaders('h', path, 'eu-west-1', c, date));
    }
  });
});
