import type { S3Client } from '@aws-sdk/client-s3';
import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { resetSharedS3Client, sharedS3Client } from '../s3-client.js';
import { Sha256 } from './sha256.js';

/** AWS clients a flow uses; inject your own (tests, custom retries), or let wmflow create them once per cold start. */
export interface FlowClients {
  messageFlow: WorkMailMessageFlowClient;
  s3: S3Client;
}

let shared: Partial<FlowClients> = {};
// Clients wmflow created itself: no caller middleware to honour, so reads may skip the middleware stack.
const own = new WeakSet<object>();

/** True for a client {@link defaultClients} created (not one a caller injected). */
export function isOwnClient(client: object): boolean {
  return own.has(client);
}

/**
 * The clients for this Lambda container, created on first use and reused by every invocation.
 * Region, credentials and endpoints come from the environment (`AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW`
 * and `AWS_ENDPOINT_URL_S3` point them at the local emulators; `AWS_S3_FORCE_PATH_STYLE=true` selects
 * path-style S3 addresses).
 *
 * @example
 * ```ts
 * const { s3 } = defaultClients();
 * ```
 */
export function defaultClients(): FlowClients {
  defaultMessageFlowClient();
  shared.s3 ??= sharedS3Client();
  return shared as FlowClients;
}

/**
 * The Message Flow client of {@link defaultClients} alone: reading a message does not create (or load)
 * the S3 client.
 *
 * @example
 * ```ts
 * const message = new LazyMessage(workmailSource(defaultMessageFlowClient(), event.messageId));
 * ```
 */
export function defaultMessageFlowClient(): WorkMailMessageFlowClient {
  if (!shared.messageFlow) {
    // Its signer hashes with Sha256: the SDK's SigV4, less crypto setup per request (a read signs one).
    shared.messageFlow = new WorkMailMessageFlowClient({ sha256: Sha256 });
    own.add(shared.messageFlow);
  }
  return shared.messageFlow;
}

/**
 * Forgets the shared clients (tests that change the environment between cases).
 *
 * @example
 * ```ts
 * process.env.AWS_S3_FORCE_PATH_STYLE = 'true';
 * resetDefaultClients();
 * defaultClients().s3.config.forcePathStyle; // true: new clients, made from the environment as it is now
 * ```
 */
export function resetDefaultClients(): void {
  shared = {};
  resetSharedS3Client();
}
