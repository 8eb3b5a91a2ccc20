import { describe, expect, it } from 'vitest';
import { restoreEnv } from '../../../../test-support/restore-env.js';
import { LocalStackError } from '../errors.js';
import { journalClient } from './batch.js';

describe('backtest Lambda: the journal client', () => {
  it('keeps the endpoint, region and credentials it was made with when the environment changes', async () => {
    const env = {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDREAL',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_SESSION_TOKEN: 't',
    };
    const client = journalClient(env);
    const before = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1',
      AWS_ACCESS_KEY_ID: 'LOCAL',
      AWS_REGION: 'us-east-1',
    });
    try {
      const endpoint = await client.config.endpoint?.();
      expect(`${endpoint?.protocol}//${endpoint?.hostname}`).toBe('https://s3.eu-west-1.amazonaws.com');
      expect(await client.config.region()).toBe('eu-west-1');
      expect((await client.config.credentials()).accessKeyId).toBe('AKIDREAL');
    } finally {
      restoreEnv(before);
    }
  });

  it('refuses to start without the function credentials', () => {
    expect(() => journalClient({ AWS_REGION: 'eu-west-1' })).toThrow(LocalStackError);
  });
});
