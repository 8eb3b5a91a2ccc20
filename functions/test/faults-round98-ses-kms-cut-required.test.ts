import { kmsCutTests } from './faults-round98-kms-kit.js';

// Fault round 98 (F98-2), with the SDK's response checksums checked only when asked for
// (`AWS_RESPONSE_CHECKSUM_VALIDATION=WHEN_REQUIRED`, as the local stack's environment and some deployments set it):
// the SDK then asks for no checksum and checks none, so before the fix archiver-ses journaled the cut copy and
// answered CONTINUE, and guard-ses judged the message without its last part. See faults-round98-ses-kms-cut.test.ts.
kmsCutTests('WHEN_REQUIRED');
