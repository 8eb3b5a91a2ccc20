import { type FlowHandler, flow, type Rule } from '@wmflow/core';
import { type JournalToS3Options, journalToS3 } from '@wmflow/rules';
import { configured, type Env, FunctionConfig } from '../shared/config.js';
import { rollout } from '../shared/scope.js';

/** Settings of the archiver besides the common ones (see docs/deploy.md). */
export const ARCHIVER_SETTINGS = [
  'JOURNAL_BUCKET',
  'KEY_TEMPLATE',
  'KMS_KEY_ID',
  'RETENTION_MODE',
  'RETENTION_DAYS',
  'METADATA',
  'SYNCHRONOUS',
] as const;

/**
 * The archiver: journals every message, inbound and outbound, byte for byte to S3 with a JSON
 * metadata object beside it. Asynchronous by default (`SYNCHRONOUS=false`: journaling never delays
 * mail); as a synchronous rule it answers DEFAULT for every recipient. A failed copy fails the
 * invocation, so WorkMail (synchronous) or Lambda (asynchronous) retries it.
 *
 * @example
 * ```ts
 * export const handler = archiver({ JOURNAL_BUCKET: 'acme-journal', ORGANIZATION_DOMAINS: 'acme.example' });
 * ```
 */
export function archiver(env: Env): FlowHandler {
  const config = new FunctionConfig(env, ARCHIVER_SETTINGS);
  return flow({
    rules: archiverRules(config),
    synchronous: config.flag('SYNCHRONOUS', false),
    // An event wmflow cannot read is retried, never let through (see docs/threat-model.md).
    onInvalidEvent: 'rethrow' as const,
    organizationDomains: config.organizationDomains(),
  });
}

/** The archiver's journal rule, rollout applied: the same on every engine. */
export function archiverRules(config: FunctionConfig): Rule[] {
  const scope = rollout(config, ['journal']);
  const kmsKeyId = config.text('KMS_KEY_ID');
  const options: JournalToS3Options = {
    bucket: config.bucket('JOURNAL_BUCKET', true),
    encryption: kmsKeyId ? { type: 'SSE-KMS', kmsKeyId } : { type: 'SSE-S3' },
    metadata: config.flag('METADATA', true),
  };
  const keyTemplate = config.text('KEY_TEMPLATE');
  if (keyTemplate !== undefined) options.keyTemplate = keyTemplate;
  const days = config.integer('RETENTION_DAYS', 0, 0, 36_500);
  if (days > 0) {
    options.retention = {
      mode: config.choice('RETENTION_MODE', ['governance', 'compliance'], 'governance').toUpperCase() as
        | 'GOVERNANCE'
        | 'COMPLIANCE',
      days,
    };
  }
  const journal = configured(
    { keyTemplate: config.field('KEY_TEMPLATE'), encryption: config.field('KMS_KEY_ID') },
    () => journalToS3(options),
  );
  return [scope('journal', journal)];
}
