import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoServer, startDynamoServer } from '@wmflow/local';

/** The local DynamoDB (dynalite) and a real SDK client talking to it over loopback. */
export interface DynamoHarness {
  server: DynamoServer;
  client: DynamoDBClient;
  /** A fresh table per test, so counters never leak between tests. */
  table(): Promise<string>;
  stop(): Promise<void>;
}

let tables = 0;

/** Starts dynalite; call `stop()` in `afterAll`. */
export async function startDynamo(): Promise<DynamoHarness> {
  const server = await startDynamoServer({ tables: [] });
  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    server,
    client,
    table: async () => {
      const name = `rates-${++tables}`;
      await server.createTable(name);
      return name;
    },
    stop: async () => {
      client.destroy();
      await server.close();
    },
  };
}

/** A clock tests move by hand (ms since the epoch). */
export function manualClock(start = Date.parse('2026-11-25T10:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
