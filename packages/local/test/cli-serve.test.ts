import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetRawMessageContentCommand,
  PutRawMessageContentCommand,
  WorkMailMessageFlowClient,
} from '@aws-sdk/client-workmailmessageflow';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from './helpers.js';
import { exitCode, MAIN, startServe } from './serve-helpers.js';

describe('wmflow serve', () => {
  it('prints the environment and the loaded messages, serves them, and exits 0 on SIGTERM', async () => {
    const plain = `${SAMPLES}plain.eml`;
    const served = await startServe([
      '--load',
      plain,
      '--load',
      `${SAMPLES}attachment.eml`,
      '--bucket',
      'updates',
    ]);
    const exited = exitCode(served.child);
    try {
      expect(Object.keys(served.env)).toEqual(
        expect.arrayContaining(['AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW', 'AWS_ENDPOINT_URL_S3', 'AWS_REGION']),
      );
      expect([...served.loaded.keys()]).toEqual([plain, `${SAMPLES}attachment.eml`]);
      const config = {
        region: served.env.AWS_REGION,
        credentials: {
          accessKeyId: served.env.AWS_ACCESS_KEY_ID as string,
          secretAccessKey: served.env.AWS_SECRET_ACCESS_KEY as string,
        },
      };
      const flow = new WorkMailMessageFlowClient({
        ...config,
        endpoint: served.env.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW,
      });
      const s3 = new S3Client({ ...config, endpoint: served.env.AWS_ENDPOINT_URL_S3 });
      const messageId = served.loaded.get(plain) as string;
      const got = await flow.send(new GetRawMessageContentCommand({ messageId }));
      const bytes = await (
        got.messageContent as { transformToByteArray(): Promise<Uint8Array> }
      ).transformToByteArray();
      expect(Buffer.from(bytes)).toEqual(await readFile(plain));
      const updated = Buffer.from(bytes).toString('latin1').replace('Subject: ', 'Subject: [EXT] ');
      await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'updated/plain', Body: updated }));
      await flow.send(
        new PutRawMessageContentCommand({
          messageId,
          content: { s3Reference: { bucket: 'updates', key: 'updated/plain' } },
        }),
      );
      // The local DynamoDB and its rate table, through the real SDK client.
      const dynamo = new DynamoDBClient({ ...config, endpoint: served.env.AWS_ENDPOINT_URL_DYNAMODB });
      const counted = await dynamo.send(
        new UpdateItemCommand({
          TableName: served.env.RATE_TABLE,
          Key: { pk: { S: 'serve-test' } },
          UpdateExpression: 'ADD c :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      expect(counted.Attributes?.c).toEqual({ N: '1' });
      dynamo.destroy();
    } finally {
      served.child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  async function failedServe(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(
      process.execPath,
      ['--conditions=wmflow-source', '--import', 'tsx', MAIN, 'serve', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    return { code: await exitCode(child), stderr };
  }

  it('fails with exit code 1 and a message for a missing --load path', async () => {
    const { code, stderr } = await failedServe(['--load', '/nope']);
    expect(code).toBe(1);
    expect(stderr).toContain('cannot load /nope: no such file or folder');
  });

  it('fails with exit code 1 and a reason, not a stack trace, for an address this machine does not have', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737), never a local address.
    const { code, stderr } = await failedServe(['--host', '192.0.2.1']);
    expect(code).toBe(1);
    expect(stderr).toContain('wmflow serve: --host 192.0.2.1: cannot listen there (EADDRNOTAVAIL)');
    expect(stderr).not.toContain('    at ');
  });
});
