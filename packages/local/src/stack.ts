import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import type { Clock } from './clock.js';
import { type DynamoServer, startDynamoServer } from './dynamo/dynamo-server.js';
import { type FlowEmulator, startFlowEmulator } from './emulator/flow-server.js';
import { type FaultProxy, startFaultProxy } from './faults/fault-proxy.js';
import type { FaultSpec } from './faults/fault-spec.js';
import { S3_ACCESS_KEY_ID, type S3Server, startS3Server } from './s3/s3-server.js';
import type { ObjectChangeListener } from './s3/store-changes.js';
import { type SesEmulator, startSesEmulator } from './ses/ses-server.js';

/**
 * Settings of {@link startLocalStack}.
 *
 * @example
 * ```ts
 * await startLocalStack({ buckets: ['journal'], region: 'eu-west-1', clock: new ManualClock() });
 * ```
 */
export interface LocalStackOptions {
  /** Buckets to create. Default `['wmflow-local']`. */
  buckets?: string[];
  /** Region handed to clients. Default `us-east-1`. */
  region?: string;
  /** Time source of the emulator (24 h expiry). */
  clock?: Clock;
  /**
   * Faults between the handler and the stack (see `parseFaultSpec`, docs/local.md): `env` then points
   * at fault proxies in front of the emulator and the S3 server. The stack's own clients (`s3`,
   * `messageFlow`) stay direct, to check what was really stored.
   */
  faults?: string | FaultSpec;
  /**
   * Address every server (Message Flow, S3, SES, DynamoDB) listens on and the endpoints name (the fault
   * proxies stay on 127.0.0.1): an IP address of this machine, so the SDK
   * addresses S3 buckets by path. Default 127.0.0.1; give the Docker bridge address (Linux: 172.17.0.1)
   * for `sam local invoke`, whose containers cannot reach the host's 127.0.0.1.
   */
  host?: string;
  /** Rate-counter tables of the local DynamoDB. Default `['wmflow-rate']`. */
  rateTables?: string[];
}

/**
 * Environment variables that point the AWS SDK (v3) at the local stack. No
 * path-style setting is needed: the SDK's S3 endpoint rules address buckets
 * by path when the endpoint host is an IP address (127.0.0.1).
 *
 * @example
 * ```ts
 * Object.assign(process.env, stack.env);
 * ```
 */
export interface LocalStackEnv {
  AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW: string;
  AWS_ENDPOINT_URL_S3: string;
  /** The SES API emulation (SendBounce), for SES-engine handlers. */
  AWS_ENDPOINT_URL_SES: string;
  AWS_ENDPOINT_URL_DYNAMODB: string;
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED';
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED';
  [name: string]: string;
}

/**
 * An object listed by {@link LocalStack.listObjects}.
 *
 * @example
 * ```ts
 * const [first] = await stack.listObjects('journal');
 * first?.key;
 * ```
 */
export interface LocalObject {
  readonly key: string;
  readonly size: number;
}

/**
 * The running Message Flow emulator, S3 server and DynamoDB server, and how to reach them.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack();
 * const id = await stack.flow.loadFile('samples/eml/plain.eml');
 * await stack.stop();
 * ```
 */
export interface LocalStack {
  /** Environment for a handler (or a child process) using the AWS SDK. */
  readonly env: LocalStackEnv;
  /** The Message Flow emulator: load messages, read history, inject faults. */
  readonly flow: FlowEmulator;
  /** An S3 client configured for the local S3 server. */
  readonly s3: S3Client;
  /** A Message Flow client configured for the emulator (what `flow({ clients })` takes in tests). */
  readonly messageFlow: WorkMailMessageFlowClient;
  /** The SES API emulation: register received messages, read the SendBounce calls made. */
  readonly ses: SesEmulator;
  /** An SES client configured for the emulation (what `sesFlow({ clients })` takes in tests). */
  readonly sesClient: SESClient;
  /** The buckets created at start. */
  readonly buckets: readonly string[];
  /** The fault proxies `env` points at, when started with `faults`. */
  readonly proxies?: { readonly flow: FaultProxy; readonly s3: FaultProxy };
  /** The local DynamoDB (dynalite) holding the rate-counter tables. */
  readonly dynamo: DynamoServer;
  /** Every object of a bucket (all pages). */
  listObjects(bucket: string, prefix?: string): Promise<LocalObject[]>;
  /**
   * Calls `listener` with every object the local S3 stores or deletes, as its store does it: behind the
   * fault proxies (a write whose answer was dropped was stored) and whoever sent it. Answers the function
   * that stops it.
   *
   * @example
   * ```ts
   * const stop = stack.watchObjects((c) => console.error(c.kind, `s3://${c.bucket}/${c.key}`));
   * ```
   */
  watchObjects(listener: ObjectChangeListener): () => void;
  /** Stops both servers; the S3 data is removed. */
  stop(): Promise<void>;
}

/**
 * Starts the Message Flow emulator and an S3 server on ephemeral ports of
 * 127.0.0.1, and returns the environment a handler needs to use them.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack({ buckets: ['updates'] });
 * Object.assign(process.env, stack.env);
 * // … run a handler; then:
 * stack.flow.history(id).length; // 2 when it updated the message
 * await stack.stop();
 * ```
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const region = options.region ?? 'us-east-1';
  const buckets = options.buckets ?? ['wmflow-local'];
  const host = options.host;
  const server: S3Server = await startS3Server({ buckets, ...(host ? { host } : {}) });
  const s3 = localS3Client(server.endpoint, region);
  const dynamo = await startDynamoServer({
    ...(options.rateTables ? { tables: options.rateTables } : {}),
    ...(host ? { host } : {}),
  });
  // WorkMail reads an update the function has finished uploading: from s3rver's store on disk (a versioned
  // reference through s3rver itself), without the HTTP round trips.
  const updatesReader = localS3Client(server.readEndpoint, region);
  const flow = await startFlowEmulator({
    s3: updatesReader,
    readObject: server.readObject,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(host ? { host } : {}),
  });
  const proxies = options.faults
    ? {
        flow: await startFaultProxy(flow.endpoint, 'flow', options.faults),
        s3: await startFaultProxy(server.endpoint, 's3', options.faults),
      }
    : undefined;
  const ses = await startSesEmulator({
    ...(options.clock ? { clock: options.clock } : {}),
    ...(host ? { host } : {}),
  });
  const env: LocalStackEnv = {
    AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW: proxies?.flow.endpoint ?? flow.endpoint,
    AWS_ENDPOINT_URL_S3: proxies?.s3.endpoint ?? server.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: S3_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
  const messageFlow = new WorkMailMessageFlowClient({
    endpoint: flow.endpoint,
    region,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_ACCESS_KEY_ID },
  });
  const sesClient = new SESClient({
    endpoint: ses.endpoint,
    region,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_ACCESS_KEY_ID },
  });
  return {
    env,
    flow,
    s3,
    messageFlow,
    ses,
    sesClient,
    buckets,
    ...(proxies ? { proxies } : {}),
    dynamo,
    watchObjects: server.watchObjects,
    listObjects: async (bucket, prefix) => {
      const objects: LocalObject[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) objects.push({ key: item.Key ?? '', size: item.Size ?? 0 });
        token = page.NextContinuationToken;
      } while (token);
      return objects;
    },
    stop: async () => {
      s3.destroy();
      updatesReader.destroy();
      messageFlow.destroy();
      await proxies?.flow.close();
      await proxies?.s3.close();
      sesClient.destroy();
      await ses.close();
      await flow.close();
      await server.close();
      await dynamo.close();
    },
  };
}

/** An S3 client for the local server: path-style, its one access key, checksums only where required. */
function localS3Client(endpoint: string, region: string): S3Client {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_ACCESS_KEY_ID },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
