import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../emulator/flow-server.js';
import { LocalStackError } from '../errors.js';
import { DEFAULT_RATE_TABLE } from './rate-table.js';

export { DEFAULT_RATE_TABLE };

/**
 * Errors the local DynamoDB can be told to answer with (what a throttled or failing service sends).
 *
 * @example
 * ```ts
 * dynamo.fail('ThrottlingException');
 * ```
 */
export type DynamoFault =
  | 'ThrottlingException'
  | 'ProvisionedThroughputExceededException'
  | 'InternalServerError';

const FAULT_STATUS: Record<DynamoFault, number> = {
  ThrottlingException: 400,
  ProvisionedThroughputExceededException: 400,
  InternalServerError: 500,
};

/**
 * Settings of {@link startDynamoServer}.
 *
 * @example
 * ```ts
 * await startDynamoServer({ tables: ['wmflow-rate'] });
 * ```
 */
export interface DynamoServerOptions {
  /** Rate-counter tables created at start (key `pk`). Default `['wmflow-rate']`. */
  tables?: readonly string[];
  /** The IPv4 address to listen on. Default `127.0.0.1`. */
  host?: string;
}

/**
 * A running DynamoDB-compatible server (dynalite, in memory) on 127.0.0.1 (or the `host` it was given).
 *
 * @example
 * ```ts
 * const dynamo = await startDynamoServer();
 * new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
 * await dynamo.close();
 * ```
 */
export interface DynamoServer {
  /** `http://127.0.0.1:<port>`: the value of `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  readonly tables: readonly string[];
  /** Requests answered so far (every operation, faults included). */
  readonly requests: number;
  /** Answers every request with this error until called with `undefined`. */
  fail(fault: DynamoFault | undefined): void;
  /** Creates another rate-counter table. */
  createTable(name: string): Promise<void>;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Starts dynalite in-process (LevelDB in memory: nothing is written to disk) behind a small front
 * that can inject throttling and server errors, and creates the rate-counter tables.
 * dynalite speaks DynamoDB's JSON protocol, so the real `@aws-sdk/client-dynamodb` talks to it.
 *
 * @example
 * ```ts
 * const dynamo = await startDynamoServer({ tables: ['rates'] });
 * process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
 * ```
 */
export async function startDynamoServer(options: DynamoServerOptions = {}): Promise<DynamoServer> {
  const require = createRequire(import.meta.url);
  const dynalite = require('dynalite') as (o: { createTableMs: number }) => Server;
  const inner = dynalite({ createTableMs: 0 });
  const handle = inner.listeners('request')[0] as Handler | undefined;
  if (!handle) throw new LocalStackError('dynalite did not expose its request handler');
  let fault: DynamoFault | undefined;
  let requests = 0;
  const front = createServer((req, res) => {
    requests++;
    if (!fault) return handle(req, res);
    req.resume();
    res.writeHead(FAULT_STATUS[fault], { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${fault}`, message: 'injected' }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => front.listen(0, host, resolve));
  const { port } = front.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const tables: string[] = [];
  const server: DynamoServer = {
    endpoint,
    tables,
    get requests() {
      return requests;
    },
    fail: (f) => {
      fault = f;
    },
    createTable: async (name) => {
      await createRateTable(endpoint, name);
      tables.push(name);
    },
    close: async () => {
      await closeServer(front);
      await new Promise<void>((resolve) => inner.close(() => resolve()));
    },
  };
  for (const name of options.tables ?? [DEFAULT_RATE_TABLE]) await server.createTable(name);
  return server;
}

/** CreateTable over the wire (the JSON protocol), so this module needs no SDK client. */
async function createRateTable(endpoint: string, name: string): Promise<void> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.CreateTable',
      // dynalite checks that a signature is present, not what it signs.
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20260101T000000Z',
    },
    body: JSON.stringify({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  });
  if (!response.ok) {
    throw new LocalStackError(`could not create table ${name}: ${response.status} ${await response.text()}`);
  }
}
