import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { describe, expect, it } from 'vitest';
import { signGet } from './sigv4.js';

// The SDK's own signer (the one `send()` uses) is the reference: the same request must get the same headers.
async function sdkSigned(
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  date: Date,
) {
  const client = new WorkMailMessageFlowClient({ region: 'eu-west-1', credentials });
  const signer = await (
    client.config as unknown as {
      signer: () => Promise<{ sign: (r: object, o: object) => Promise<{ headers: Record<string, string> }> }>;
    }
  ).signer();
  const request = {
    method: 'GET',
    protocol: 'https:',
    hostname: 'workmailmessageflow.eu-west-1.amazonaws.com',
    path: '/messages/4c1f3e0a-8d2b-4a7e-9f0c-2b1d5e6a7c80',
    query: {},
    headers: { host: 'workmailmessageflow.eu-west-1.amazonaws.com' },
  };
  return (await signer.sign(request, { signingDate: date })).headers;
}

describe('signGet (Signature Version 4)', () => {
  const date = new Date('2026-11-30T01:02:03.456Z');
  const base = {
    host: 'workmailmessageflow.eu-west-1.amazonaws.com',
    path: '/messages/4c1f3e0a-8d2b-4a7e-9f0c-2b1d5e6a7c80',
    region: 'eu-west-1',
    service: 'workmailmessageflow',
    date,
  };

  it('signs as the SDK signer does, with and without a session token', async () => {
    for (const credentials of [
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      {
        accessKeyId: 'ASIAEXAMPLE',
        secretAccessKey: 'c2VjcmV0',
        sessionToken: 'FwoGZXIvYXdzEXAMPLE//token==',
      },
    ]) {
      const ours = signGet({ ...base, credentials });
      const sdk = await sdkSigned(credentials, date);
      expect(ours.authorization).toBe(sdk.authorization);
      expect(ours['x-amz-date']).toBe(sdk['x-amz-date']);
      expect(ours['x-amz-security-token']).toBe(sdk['x-amz-security-token']);
    }
  });

  it('derives a new key for another day, secret or region', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's1' };
    const a = signGet({ ...base, credentials }).authorization;
    const nextDay = new Date(date.getTime() + 86_400_000);
    expect(signGet({ ...base, credentials, date: nextDay }).authorization).toBe(
      (await sdkSigned(credentials, nextDay)).authorization,
    );
    expect(
      signGet({ ...base, credentials: { ...credentials, secretAccessKey: 's2' } }).authorization,
    ).not.toBe(a);
    expect(signGet({ ...base, credentials }).authorization).toBe(a);
  });
});
