import { describe, expect, it } from 'vitest';
import { isTransient } from './transient.js';

// Fault round 73: the SDK's checksum stream fails a body with a plain `Error`, no name or code of its own. Both of its
// failures are transfers that went wrong, which a second read cures: transient, so the invocation (or the backtest's
// batch) fails and is retried rather than decided; so is S3's `XAmzContentSHA256Mismatch`. Other plain errors, and
// look-alike messages, are not.
describe('isTransient: the SDK checksum stream failures', () => {
  it('a checksum mismatch of an answer body', () => {
    const error = new Error(
      'Checksum mismatch: expected "IZPaIw==" but received "VAwcvg==" in response header "x-amz-checksum-crc32".',
    );
    expect(isTransient(error)).toBe(true);
    expect(isTransient(new Error('rule failed', { cause: error }))).toBe(true);
  });

  it('an answer closed before its end', () => {
    expect(isTransient(new Error('Connection lost or stream closed before all data was received.'))).toBe(
      true,
    );
  });

  it("S3's refusal of a signed payload changed on its way", () => {
    const error = Object.assign(
      new Error("The provided 'x-amz-content-sha256' header does not match what was computed."),
      {
        name: 'XAmzContentSHA256Mismatch',
        $metadata: { httpStatusCode: 400 },
      },
    );
    expect(isTransient(error)).toBe(true);
  });

  it('not: another plain error, or the words in another error of a rule', () => {
    expect(isTransient(new Error('Checksum mismatch'))).toBe(false);
    expect(isTransient(new TypeError('Connection lost or stream closed before all data was received.'))).toBe(
      false,
    );
    expect(
      isTransient(
        new Error('Checksum mismatch: expected "a" but received "b" in response header "x-custom".'),
      ),
    ).toBe(false);
  });
});
