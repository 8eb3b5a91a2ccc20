import { expect, it } from 'vitest';
import { journalToS3 } from './index.js';

// Newcomer round 5: `journalToS3({ bucket: process.env.JOURNAL_BUCKET ?? '' })` (docs/own-lambda.md) without the
// variable failed to load with "bucket: must be an S3 bucket name", which reads as a malformed name, not a missing one.
it('says the bucket is empty, and where an empty name usually comes from', () => {
  expect(() => journalToS3({ bucket: '' })).toThrow(
    /configuration bucket: is empty: name the bucket \(an environment variable it is read from is not set\?\)/,
  );
  expect(() => journalToS3({ bucket: 'Bad_Bucket' })).toThrow(
    /configuration bucket: must be an S3 bucket name/,
  );
});
