// Moved to the engine-neutral core; kept here so existing imports keep working.
export { isBucketName, isValidKeyPrefix } from '../s3-names.js';
