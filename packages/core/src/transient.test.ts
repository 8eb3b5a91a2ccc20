import { describe, expect, it } from 'vitest';
import { isTransient, TransientError } from './transient.js';

const named = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe('isTransient: what fails the invocation so WorkMail retries it', () => {
  it('throttling, 5xx, network errors, and answers that went wrong on their way', () => {
    for (const error of [
      new TransientError('short read'),
      named('ThrottlingException', 429),
      named('InternalError', 500),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      // Node's HTTP parser refused the answer: a garbled status line, a duplicate Content-Length.
      Object.assign(new Error('Parse Error: Invalid status code'), { code: 'HPE_INVALID_STATUS' }),
      Object.assign(new Error('Parse Error: Duplicate Content-Length'), {
        code: 'HPE_UNEXPECTED_CONTENT_LENGTH',
      }),
      // S3: an upload that arrived incomplete or damaged, or met another request at its key.
      named('IncompleteBody', 400),
      named('BadDigest', 400),
      named('ConditionalRequestConflict', 409),
      named('OperationAborted', 409),
      named('RequestTimeTooSkewed', 403),
      named('ExpiredToken', 400),
      named('ExpiredTokenException', 403),
      // A request the service could not authenticate: credentials rotated or revoked, a signature not matched or
      // out of its window (fault round 78).
      named('InvalidAccessKeyId', 403),
      named('InvalidToken', 400),
      named('SignatureDoesNotMatch', 403),
      named('UnrecognizedClientException', 403),
      named('InvalidClientTokenId', 403),
      named('InvalidSignatureException', 403),
      new Error('rule failed', { cause: named('SlowDown', 503) }),
    ])
      expect([error.message, isTransient(error)]).toEqual([error.message, true]);
  });

  it('not an answer about the request itself: refused, not found, frozen, a condition that failed', () => {
    for (const error of [
      named('AccessDenied', 403),
      named('NoSuchBucket', 404),
      named('PreconditionFailed', 412),
      named('MessageFrozen', 400),
      named('ResourceNotFoundException', 404),
      Object.assign(new Error('HPE not at the start'), { code: 'X_HPE_INVALID' }),
      new Error('plain'),
    ])
      expect([error.message, isTransient(error)]).toEqual([error.message, false]);
  });
});
