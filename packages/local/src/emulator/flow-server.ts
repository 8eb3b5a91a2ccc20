import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { type Clock, systemClock } from '../clock.js';
import { FlowApiError } from '../errors.js';
import type { S3Server } from '../s3/s3-server.js';
import type { Fault, FaultHandle, FaultScope } from './faults.js';
import { FaultPlan } from './faults.js';
import { assertSigned, readJson, sendError } from './http-reply.js';
import { MESSAGE_ID_PATTERN } from './message-id.js';
import { type LoadOptions, MessageStore, type MessageVersion } from './message-store.js';
import { putRawMessageContent } from './put-raw.js';

/**
 * Settings of {@link startFlowEmulator}.
 *
 * @example
 * ```ts
 * const flow = await startFlowEmulator({ s3: new S3Client({ endpoint, forcePathStyle: true }) });
 * ```
 */
export interface FlowEmulatorOptions {
  /** The client PutRawMessageContent reads updated messages with. */
  s3: S3Client;
  /**
   * Reads an updated message's object directly (e.g. {@link S3Server.readObject}): its bytes whole when it
   * holds at most `maxBytes`, else a stream of them, undefined when it does not exist; PutRawMessageContent
   * then uses it instead of `s3`.
   */
  readObject?: (
    bucket: string,
    key: string,
    maxBytes: number,
  ) => Promise<Uint8Array | AsyncIterable<Uint8Array> | undefined>;
  /** Time source for the 24 h expiry. Default the system clock. */
  clock?: Clock;
  /** Largest updated message accepted. Default 25 MiB plus base64/CRLF slack (40 MiB). */
  maxMessageBytes?: number;
  /** Address to listen on (an IP address of this machine). Default 127.0.0.1. */
  host?: string;
}

/**
 * One request the emulator answered, for tests that count retries.
 *
 * @example
 * ```ts
 * flow.requests().filter((r) => r.status === 429).length;
 * ```
 */
export interface FlowRequest {
  readonly operation: 'get' | 'put' | 'unknown';
  readonly messageId: string;
  /** Status sent, or 0 when the connection was dropped on purpose. */
  readonly status: number;
}

/**
 * A running WorkMail Message Flow emulator on 127.0.0.1.
 *
 * @example
 * ```ts
 * const id = await flow.loadFile('samples/eml/plain.eml');
 * new WorkMailMessageFlowClient({ endpoint: flow.endpoint });
 * await flow.close();
 * ```
 */
export interface FlowEmulator {
  /** `http://127.0.0.1:<port>`: the value of `AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW`. */
  readonly endpoint: string;
  /** Loads message bytes; returns the message id. */
  load(content: Uint8Array | string, options?: LoadOptions): string;
  /** Loads an .eml file byte for byte; returns the message id. */
  loadFile(path: string, options?: LoadOptions): Promise<string>;
  /** Every version of a message, oldest (the loaded one) first. */
  /** Drops a message and its history; later requests for it answer ResourceNotFoundException. */
  forget(messageId: string): void;
  history(messageId: string): MessageVersion[];
  /** Makes updates of a message fail with MessageFrozen (or lifts that). */
  freeze(messageId: string, frozen?: boolean): void;
  /** Arms a fault; see {@link Fault} and {@link FaultScope}. */
  injectFault(fault: Fault, scope?: FaultScope): FaultHandle;
  /** Disarms every fault. */
  clearFaults(): void;
  /** The requests answered so far, oldest first. */
  requests(): FlowRequest[];
  /** Stops the server. */
  close(): Promise<void>;
}

const ROUTE = /^\/messages\/([^/?]*)(?:\?.*)?$/;

/**
 * Starts the Message Flow emulator on an ephemeral port of 127.0.0.1. It
 * serves GetRawMessageContent (GET /messages/{messageId}) and
 * PutRawMessageContent (POST /messages/{messageId}) as the service model
 * defines them, with WorkMail's errors, 24 h expiry and update validation.
 *
 * @example
 * ```ts
 * const flow = await startFlowEmulator({ s3 });
 * const id = flow.load(Buffer.from('From: a@example.com\r\nDate: …\r\n\r\nhi\r\n'));
 * ```
 */
export async function startFlowEmulator(options: FlowEmulatorOptions): Promise<FlowEmulator> {
  const store = new MessageStore(options.clock ?? systemClock);
  const faults = new FaultPlan();
  const log: FlowRequest[] = [];
  const deps = {
    store,
    s3: options.s3,
    ...(options.readObject ? { readObject: options.readObject } : {}),
    maxMessageBytes: options.maxMessageBytes ?? 40 * 1024 * 1024,
  };
  const server = createServer((req, res) => {
    handle(req, res).then(
      (entry) => log.push(entry),
      () => res.destroy(),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<FlowRequest> {
    const match = ROUTE.exec(req.url ?? '');
    const messageId = match ? decodeURIComponent(match[1] as string) : '';
    const operation = !match
      ? 'unknown'
      : req.method === 'GET'
        ? 'get'
        : req.method === 'POST'
          ? 'put'
          : 'unknown';
    try {
      if (operation === 'unknown') throw new FlowApiError('UnknownOperationException', 'Unknown operation');
      assertSigned(req);
      const hit = faults.take(operation, messageId);
      const delay = hit.find((fault) => fault.kind === 'latency');
      if (delay) await sleep(delay.ms);
      failWith(hit);
      if (hit.some((fault) => fault.kind === 'garbled-answer'))
        return { operation, messageId, status: garble(res) };
      if (!MESSAGE_ID_PATTERN.test(messageId)) {
        throw new FlowApiError(
          'ValidationException',
          "1 validation error detected: Value at 'messageId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z0-9\\-]*",
        );
      }
      const broken = hit.find((fault) => fault.kind === 'broken-stream');
      if (operation === 'get') {
        const content = alteredContent(store.current(messageId).content, hit);
        return { operation, messageId, status: sendMessage(res, content, broken) };
      }
      const input = await readJson(req, 64 * 1024);
      if (broken) return { operation, messageId, status: drop(res) };
      await putRawMessageContent(deps, messageId, input);
      // Applied, but the caller never hears so.
      if (hit.some((fault) => fault.kind === 'lost-answer'))
        return { operation, messageId, status: drop(res) };
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
      res.end('{}');
      return { operation, messageId, status: 200 };
    } catch (error) {
      return { operation, messageId, status: sendError(res, error) };
    }
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    load: (content, loadOptions) =>
      store.load(typeof content === 'string' ? Buffer.from(content, 'latin1') : content, loadOptions),
    loadFile: async (path, loadOptions) => store.load(await readFile(path), loadOptions),
    history: (messageId) => store.history(messageId),
    forget: (messageId) => store.forget(messageId),
    freeze: (messageId, frozen = true) => store.setFrozen(messageId, frozen),
    injectFault: (fault, scope) => faults.add(fault, scope),
    clearFaults: () => faults.clear(),
    requests: () => [...log],
    close: () => closeServer(server),
  };
}

// An answer no HTTP parser accepts (two Content-Lengths), then the connection closed: the client's parser fails
// (HPE_…).
function garble(res: ServerResponse): number {
  res.socket?.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}');
  return 0;
}

function failWith(hit: Fault[]): void {
  for (const fault of hit) {
    if (fault.kind === 'throttle') throw new FlowApiError('ThrottlingException', 'Rate exceeded');
    if (fault.kind === 'server-error') {
      throw new FlowApiError('InternalServerException', 'Injected server error', fault.status ?? 500);
    }
  }
}

function sendMessage(res: ServerResponse, content: Uint8Array, broken: Fault | undefined): number {
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': content.length,
    'x-amzn-requestid': randomUUID(),
  });
  if (broken?.kind !== 'broken-stream') {
    res.end(content);
    return 200;
  }
  const cut = Math.min(broken.afterBytes ?? Math.floor(content.length / 2), content.length - 1);
  res.write(content.subarray(0, Math.max(cut, 0)), () => res.destroy());
  return 0;
}

// The bytes a GET serves under a `short-body` or `changed-content` fault.
function alteredContent(content: Uint8Array, hit: Fault[]): Uint8Array {
  let out = content;
  for (const fault of hit) {
    if (fault.kind === 'short-body') {
      out = out.subarray(0, Math.min(fault.bytes ?? Math.floor(out.length / 2), out.length));
    } else if (fault.kind === 'changed-content') {
      const changed = Buffer.from(out);
      const from = Math.max(0, changed.length - (fault.bytes ?? 16));
      for (let i = from; i < changed.length; i++) changed[i] = changed[i] === 0x58 ? 0x59 : 0x58;
      out = changed;
    }
  }
  return out;
}

function drop(res: ServerResponse): number {
  res.destroy();
  return 0;
}

/**
 * Closes a server and the idle keep-alive connections that would hold it open.
 *
 * @example
 * ```ts
 * await closeServer(server);
 * ```
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
