import { kmsCutTests } from './faults-round98-kms-kit.js';

// Fault round 98 (F98-2): the message SES stored in a bucket whose default encryption is SSE-KMS, answered by GetObject
// as a 200 whose Content-Length and body agree but stop short of the object (something in between cutting the answer
// and its length, round 87's fault). An SSE-KMS object's ETag is no MD5 of its bytes, so round 87's check does not
// apply; the answer still carries the object's full checksum (`x-amz-checksum-crc64nvme`, which S3 keeps for every
// object stored since 2025, or the CRC32 an SDK upload gave it) when asked for it. The Lambda's SDK asks and checks it
// by default (`AWS_RESPONSE_CHECKSUM_VALIDATION` unset, `WHEN_SUPPORTED`), but fails the body only after passing its
// last byte on: the journal's PutObject, whose length is the answer's, stored the cut copy before the failure came.
// Asked: archiver-ses fails, journaling nothing; guard-ses never goes on with the last part unseen.
kmsCutTests('WHEN_SUPPORTED');
