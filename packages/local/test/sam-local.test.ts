import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { parseFlowEvent } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, resourcesOf } from '../../../functions/test/cfn.js';
import { SAM_LOCAL_VARIABLES } from '../src/index.js';
import { SAMPLES } from './helpers.js';
import { collect, ROOT, wmflow } from './replay-helpers.js';
import { exitCode, type Served, startServe } from './serve-helpers.js';

// The recipe of docs/own-lambda.md for `sam local invoke` (SAM and Docker are not needed to test
// its parts): serve on an address containers reach, write the --env-vars file, make the event
// with the served message id; the function then reads the message through the endpoints of the
// env file alone, and every variable the file sets is one the templates declare.
const MESSAGE = `${SAMPLES}05-ceo-impersonation.eml`;
const FUNCTION = new URL('../../../functions/guard-ses/index.ts', import.meta.url).pathname;
const TEMPLATES = [
  new URL('../../../template.yaml', import.meta.url),
  new URL('../templates/init/template.yaml', import.meta.url),
  new URL('../templates/init-ses/template.yaml', import.meta.url),
  new URL('../../../template-ses.yaml', import.meta.url),
];

let dir: string;
let served: Served;
let envFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-sam-'));
  envFile = join(dir, 'env.local.json');
  served = await startServe(['--host', '127.0.0.1', '--load', MESSAGE, '--env-json', envFile]);
}, 60_000);
afterAll(async () => {
  const exited = served ? exitCode(served.child) : Promise.resolve(0);
  served?.child.kill('SIGTERM');
  expect(await exited).toBe(0);
  await rm(dir, { recursive: true, force: true });
});

describe('sam local invoke recipe', () => {
  it('writes an --env-vars file with exactly the declared endpoint and checksum variables', async () => {
    const file = JSON.parse(await readFile(envFile, 'utf8'));
    expect(Object.keys(file)).toEqual(['Parameters']);
    expect(Object.keys(file.Parameters)).toEqual([...SAM_LOCAL_VARIABLES]);
    expect(file.Parameters.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(file.Parameters.AWS_REQUEST_CHECKSUM_CALCULATION).toBe('WHEN_REQUIRED');
    for (const url of TEMPLATES) {
      const template = await loadTemplate(url.pathname);
      const functions = resourcesOf(template, 'AWS::Serverless::Function').map(([, r]) => r);
      for (const fn of functions) {
        const declared = {
          ...(template.Globals?.Function?.Environment?.Variables ?? {}),
          ...(fn.Properties.Environment?.Variables ?? {}),
        };
        for (const name of SAM_LOCAL_VARIABLES)
          expect(Object.keys(declared), `${url.pathname}`).toContain(name);
        expect(declared.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW).toBe('');
        expect(declared.AWS_ENDPOINT_URL_S3).toBe('');
      }
    }
  });

  it('makes an event for the served message that a function reads through the env file alone', async () => {
    const id = served.loaded.get(MESSAGE) as string;
    const r = await wmflow(['event', MESSAGE, '--message-id', id, '--org-domain', 'corp.example']);
    expect(r.code).toBe(0);
    const event = parseFlowEvent(JSON.parse(r.stdout));
    expect(event.messageId).toBe(id);
    const { Parameters: env } = JSON.parse(await readFile(envFile, 'utf8'));
    const client = new WorkMailMessageFlowClient({
      endpoint: env.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW,
      region: 'us-east-1',
      credentials: { accessKeyId: 'sam-local', secretAccessKey: 'sam-local' },
    });
    const got = await client.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
    const bytes = Buffer.from(
      await (got.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(bytes.equals(await readFile(MESSAGE))).toBe(true);
  });

  it('refuses a --host that is not an IPv4 address', async () => {
    const r = await wmflow(['serve', '--host', 'host.docker.internal']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--host: an IPv4 address');
  });
});

describe('sam local invoke recipe for an SES function (serve --engine ses)', () => {
  it('stores the message as the S3 action would, and guard-ses bounces it through the env file alone', async () => {
    const virus = `${SAMPLES}04-ses-spam-virus.eml`;
    const sesEnvFile = join(dir, 'env.ses.json');
    const ses = await startServe(['--engine', 'ses', '--load', virus, '--env-json', sesEnvFile]);
    try {
      const id = ses.loaded.get(virus) as string;
      expect(ses.env.STORED_BUCKET).toBe('wmflow-inbound');
      const event = await wmflow(['event', virus, '--engine', 'ses', '--message-id', id]);
      expect(event.code).toBe(0);
      const { Parameters } = JSON.parse(await readFile(sesEnvFile, 'utf8'));
      expect(Parameters).toMatchObject({ STORED_BUCKET: 'wmflow-inbound', STORED_KEY_PREFIX: 'inbound/' });
      // As the container runs it: the template's variables, the env file over them, nothing of this process.
      const script = `const { handler } = await import(${JSON.stringify(FUNCTION)});
const answer = await handler(JSON.parse(process.env.EVENT), { getRemainingTimeInMillis: () => 30000 });
process.stdout.write(JSON.stringify(answer) + '\\n');`;
      const run = await collect(
        process.execPath,
        ['--conditions=wmflow-source', '--import', 'tsx', '--input-type=module', '-e', script],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            // The template's own bucket, which the env file must override (serve stored the message elsewhere).
            STORED_BUCKET: 'template-inbound-bucket',
            STORED_KEY_PREFIX: 'template/',
            ...Parameters,
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'sam-local',
            AWS_SECRET_ACCESS_KEY: 'sam-local',
            BOUNCE_SENDER: 'postmaster@corp.example',
            ORGANIZATION_DOMAINS: 'corp.example',
            EVENT: event.stdout,
          },
        },
      );
      const lines = run.stdout.trim().split('\n');
      expect(JSON.parse(lines.at(-1) as string)).toEqual({ disposition: 'STOP_RULE_SET' });
      // The bounce reached the SES emulation, which knew the message: sent, not refused.
      expect(run.stdout).toMatch(/"bounce":\{"status":"sent"/);
    } finally {
      ses.child.kill('SIGTERM');
      await exitCode(ses.child);
    }
  }, 60_000);
});
