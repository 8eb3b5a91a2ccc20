/**
 * A fault the emulator injects into its answers.
 * - `throttle`: 429 ThrottlingException (the SDK retries it).
 * - `server-error`: a 5xx InternalServerException (default 500; the SDK retries 500, 502, 503, 504).
 * - `latency`: waits `ms` before answering normally.
 * - `broken-stream`: GetRawMessageContent sends its headers and `afterBytes` bytes of the
 *   message (default half), then drops the connection; any other request is dropped unanswered.
 * - `short-body`: GetRawMessageContent answers a clean, complete-looking response of the first
 *   `bytes` bytes (default half) with a matching Content-Length: a server that lies consistently.
 * - `changed-content`: GetRawMessageContent answers the message with its last `bytes` bytes (default 16)
 *   replaced, same length: content that changed between two reads.
 * - `lost-answer`: PutRawMessageContent applies the update, then drops the connection unanswered.
 * - `garbled-answer`: the request is answered with bytes Node's HTTP parser refuses (two Content-Lengths, as a
 *   broken proxy or a corrupted connection gives), without being applied.
 *
 * @example
 * ```ts
 * const fault: Fault = { kind: 'broken-stream', afterBytes: 100 };
 * ```
 */
export type Fault =
  | { readonly kind: 'throttle' }
  | { readonly kind: 'server-error'; readonly status?: 500 | 502 | 503 | 504 }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'broken-stream'; readonly afterBytes?: number }
  | { readonly kind: 'short-body'; readonly bytes?: number }
  | { readonly kind: 'changed-content'; readonly bytes?: number }
  | { readonly kind: 'lost-answer' }
  | { readonly kind: 'garbled-answer' };

/**
 * Which requests a fault hits.
 *
 * @example
 * ```ts
 * stack.flow.injectFault({ kind: 'throttle' }, { times: 2 });                 // the next 2 requests
 * stack.flow.injectFault({ kind: 'server-error' }, { messageId: id });       // every request for id
 * stack.flow.injectFault({ kind: 'latency', ms: 50 }, { operation: 'put' }); // the next update
 * ```
 */
export interface FaultScope {
  /** Only requests for this message. */
  messageId?: string;
  /** Only this operation (`get` = GetRawMessageContent, `put` = PutRawMessageContent). */
  operation?: 'get' | 'put';
  /** How many matching requests it hits; default 1, or unlimited when `messageId` is given. */
  times?: number;
  /** Matching requests to let through first (e.g. `1`: the second read of a message). Default 0. */
  skip?: number;
}

/**
 * Stops an injected fault before it has run out.
 *
 * @example
 * ```ts
 * const fault = stack.flow.injectFault({ kind: 'throttle' }, { messageId: id });
 * fault.clear();
 * ```
 */
export interface FaultHandle {
  clear(): void;
  /** Requests it has hit so far. */
  readonly hits: number;
}

interface Armed {
  readonly fault: Fault;
  readonly scope: FaultScope;
  left: number;
  hits: number;
  skip: number;
}

/**
 * The faults armed on an emulator, matched in the order they were injected.
 *
 * @example
 * ```ts
 * const faults = new FaultPlan();
 * faults.add({ kind: 'throttle' }, { times: 1 });
 * faults.take('get', 'abc'); // { kind: 'throttle' }, then undefined
 * ```
 */
export class FaultPlan {
  private armed: Armed[] = [];

  /** Arms a fault. */
  add(fault: Fault, scope: FaultScope = {}): FaultHandle {
    const entry: Armed = {
      fault,
      scope,
      left: scope.times ?? (scope.messageId ? Infinity : 1),
      hits: 0,
      skip: scope.skip ?? 0,
    };
    this.armed.push(entry);
    return {
      clear: () => {
        this.armed = this.armed.filter((armed) => armed !== entry);
      },
      get hits() {
        return entry.hits;
      },
    };
  }

  /** The faults that hit this request (one of each kind at most), used up by one. */
  take(operation: 'get' | 'put', messageId: string): Fault[] {
    const hit: Fault[] = [];
    for (const entry of this.armed) {
      if (entry.scope.messageId !== undefined && entry.scope.messageId !== messageId) continue;
      if (entry.scope.operation !== undefined && entry.scope.operation !== operation) continue;
      if (hit.some((fault) => fault.kind === entry.fault.kind)) continue;
      if (entry.skip > 0) {
        entry.skip -= 1;
        continue;
      }
      hit.push(entry.fault);
      entry.left -= 1;
      entry.hits += 1;
    }
    this.armed = this.armed.filter((entry) => entry.left > 0);
    return hit;
  }

  /** Disarms every fault. */
  clear(): void {
    this.armed = [];
  }
}
