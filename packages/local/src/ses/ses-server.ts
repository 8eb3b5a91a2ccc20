import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../clock.js';
import { members, readForm, SesApiError, sendQueryError, sendResult } from './query.js';

/**
 * How long after receipt SES accepts SendBounce for a message.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const ses = await startSesEmulator({ clock });
 * ses.receive('0example-id');
 * clock.advance(BOUNCE_WINDOW_MS + 1); // SendBounce for '0example-id' now fails with MessageRejected
 * ```
 */
export const BOUNCE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * One SendBounce call the emulator accepted.
 *
 * @example
 * ```ts
 * ses.bounces()[0]?.recipients; // [{ recipient: 'bob@corp.example', bounceType: 'ContentRejected' }]
 * ```
 */
export interface RecordedBounce {
  readonly bounceId: string;
  readonly originalMessageId: string;
  readonly bounceSender: string;
  readonly explanation?: string;
  readonly recipients: readonly { recipient: string; bounceType: string }[];
}

/** Settings of {@link startSesEmulator}. */
export interface SesEmulatorOptions {
  /** Verified identities (addresses or domains) a bounce may come from. Default: any sender. */
  identities?: readonly string[];
  clock?: Clock;
  /** The IPv4 address to listen on. Default `127.0.0.1`. */
  host?: string;
}

/**
 * A local emulation of the SES API calls wmflow's SES adapter makes (SendBounce), spoken in SES's awsQuery
 * protocol so the real `@aws-sdk/client-ses` reaches it through `AWS_ENDPOINT_URL_SES`.
 *
 * @example
 * ```ts
 * const ses = await startSesEmulator();
 * ses.receive('0example-id');
 * new SESClient({ endpoint: ses.endpoint });
 * ```
 */
export interface SesEmulator {
  readonly endpoint: string;
  /** Registers a message as received by SES (SendBounce only works for received messages, for 24 h). */
  receive(messageId: string): void;
  /** Accepted SendBounce calls, oldest first; for one message when `messageId` is given. */
  bounces(messageId?: string): RecordedBounce[];
  /** Forgets a message and its bounces. */
  forget(messageId: string): void;
  close(): Promise<void>;
}

const BOUNCE_TYPES = [
  'DoesNotExist',
  'MessageTooLarge',
  'ExceededQuota',
  'ContentRejected',
  'Undefined',
  'TemporaryFailure',
];

/**
 * Starts the SES emulator on an ephemeral port of 127.0.0.1.
 *
 * @example
 * ```ts
 * const ses = await startSesEmulator({ identities: ['corp.example'] });
 * await ses.close();
 * ```
 */
export async function startSesEmulator(options: SesEmulatorOptions = {}): Promise<SesEmulator> {
  const clock = options.clock ?? systemClock;
  const received = new Map<string, number>();
  const recorded: RecordedBounce[] = [];

  function sendBounce(form: URLSearchParams): RecordedBounce {
    const id = form.get('OriginalMessageId') ?? '';
    const sender = form.get('BounceSender') ?? '';
    const list = members(form, 'BouncedRecipientInfoList', ['Recipient', 'BounceType']);
    if (!id || !sender)
      throw new SesApiError('ValidationError', 'OriginalMessageId and BounceSender are required');
    if (list.length === 0)
      throw new SesApiError('ValidationError', 'at least one BouncedRecipientInfo is required');
    const at = received.get(id);
    if (at === undefined || clock.now() - at > BOUNCE_WINDOW_MS) {
      throw new SesApiError('MessageRejected', `message ${id} was not received by SES in the last 24 hours`);
    }
    const domain = sender.split('@')[1]?.toLowerCase();
    if (
      options.identities &&
      !options.identities.some((i) => [sender.toLowerCase(), domain].includes(i.toLowerCase()))
    ) {
      throw new SesApiError(
        'MessageRejected',
        `Email address is not verified. The following identities failed the check: ${sender}`,
      );
    }
    for (const r of list) {
      if (!BOUNCE_TYPES.includes(r.BounceType ?? ''))
        throw new SesApiError('ValidationError', `bad BounceType ${r.BounceType}`);
    }
    const explanation = form.get('Explanation');
    const bounce: RecordedBounce = {
      bounceId: `${randomUUID()}-000000`,
      originalMessageId: id,
      bounceSender: sender,
      ...(explanation !== null ? { explanation } : {}),
      recipients: list.map((r) => ({ recipient: r.Recipient ?? '', bounceType: r.BounceType ?? '' })),
    };
    recorded.push(bounce);
    return bounce;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'POST') throw new SesApiError('InvalidAction', 'SES query requests are POSTs', 405);
      if (
        !/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/ses\/aws4_request/.test(
          req.headers.authorization ?? '',
        )
      ) {
        throw new SesApiError(
          'MissingAuthenticationToken',
          'the request must be signed with SigV4 for ses',
          403,
        );
      }
      const form = await readForm(req, 256 * 1024);
      const action = form.get('Action');
      if (action !== 'SendBounce')
        throw new SesApiError('InvalidAction', `the emulator answers SendBounce only, not ${action}`);
      sendResult(res, 'SendBounce', `<MessageId>${sendBounce(form).bounceId}</MessageId>`);
    } catch (error) {
      sendQueryError(res, error);
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    receive: (id) => {
      received.set(id, clock.now());
    },
    bounces: (id) => recorded.filter((b) => id === undefined || b.originalMessageId === id),
    forget: (id) => {
      received.delete(id);
      for (let i = recorded.length - 1; i >= 0; i--)
        if (recorded[i]?.originalMessageId === id) recorded.splice(i, 1);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
