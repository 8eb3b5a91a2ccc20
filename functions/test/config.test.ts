import { ConfigError } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { FunctionConfig } from '../shared/config.js';

/** The field of the ConfigError `build` throws. */
function fieldOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).field;
  }
  throw new Error('no ConfigError');
}

describe('functions: FunctionConfig', () => {
  it('reads variables, treats empty ones as unset and falls back to WMFLOW_POLICY', () => {
    const c = new FunctionConfig(
      {
        AUDIT_MODE: '',
        PILOT_RECIPIENTS: 'a@corp.example',
        WMFLOW_POLICY: '{"AUDIT_MODE": true, "X": ["Jane Doe", "Finance Team"]}',
      },
      ['X'],
    );
    expect(c.flag('AUDIT_MODE', false)).toBe(true);
    expect(c.field('AUDIT_MODE')).toBe('WMFLOW_POLICY.AUDIT_MODE');
    expect(c.list('PILOT_RECIPIENTS')).toEqual(['a@corp.example']);
    expect(c.list('X')).toEqual(['Jane Doe', 'Finance Team']);
  });

  it('splits lists on commas, semicolons and newlines, keeping spaces inside names', () => {
    const c = new FunctionConfig({ X: 'Jane Doe, Finance Team;\n# a comment\nIT Helpdesk' }, ['X']);
    expect(c.list('X')).toEqual(['Jane Doe', 'Finance Team', 'IT Helpdesk']);
  });

  it('refuses bad JSON, unknown policy keys and values of the wrong kind', () => {
    expect(fieldOf(() => new FunctionConfig({ WMFLOW_POLICY: '{' }, []))).toBe('WMFLOW_POLICY');
    expect(fieldOf(() => new FunctionConfig({ WMFLOW_POLICY: '[]' }, []))).toBe('WMFLOW_POLICY');
    expect(fieldOf(() => new FunctionConfig({ WMFLOW_POLICY: '{"AUDIT_MOD": true}' }, []))).toBe(
      'WMFLOW_POLICY.AUDIT_MOD',
    );
    expect(fieldOf(() => new FunctionConfig({ WMFLOW_POLICY: '{"X": {"a": 1}}' }, ['X']))).toBe(
      'WMFLOW_POLICY.X',
    );
    const c = new FunctionConfig({ F: 'maybe', N: '12x', D: 'corp.example, not a domain' }, ['F', 'N', 'D']);
    expect(fieldOf(() => c.flag('F', false))).toBe('F');
    expect(fieldOf(() => c.integer('N', 1, 0, 10))).toBe('N');
    expect(
      fieldOf(() =>
        new FunctionConfig({ ORGANIZATION_DOMAINS: 'corp.example, not a domain' }, []).organizationDomains(),
      ),
    ).toBe('ORGANIZATION_DOMAINS[1]');
  });
});

describe('functions: configuration errors name the setting', () => {
  const base = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'corp-updates' };

  it('archiver', () => {
    expect(fieldOf(() => archiver({}))).toBe('JOURNAL_BUCKET');
    expect(fieldOf(() => archiver({ JOURNAL_BUCKET: 'Not_A_Bucket' }))).toBe('JOURNAL_BUCKET');
    expect(fieldOf(() => archiver({ JOURNAL_BUCKET: 'journal', KEY_TEMPLATE: '../{messageId}' }))).toBe(
      'KEY_TEMPLATE',
    );
    expect(fieldOf(() => archiver({ JOURNAL_BUCKET: 'journal', KMS_KEY_ID: 'key with spaces' }))).toBe(
      'KMS_KEY_ID',
    );
    expect(fieldOf(() => archiver({ JOURNAL_BUCKET: 'journal', RETENTION_DAYS: '-1' }))).toBe(
      'RETENTION_DAYS',
    );
    expect(
      fieldOf(() => archiver({ JOURNAL_BUCKET: 'journal', RETENTION_DAYS: '30', RETENTION_MODE: 'forever' })),
    ).toBe('RETENTION_MODE');
    expect(fieldOf(() => archiver({ JOURNAL_BUCKET: 'journal', SYNCHRONOUS: 'sometimes' }))).toBe(
      'SYNCHRONOUS',
    );
    expect(
      typeof archiver({ JOURNAL_BUCKET: 'journal', KMS_KEY_ID: 'alias/journal', RETENTION_DAYS: '365' }),
    ).toBe('function');
  });

  it('guard: secure defaults need the updates bucket once the domains are known', () => {
    expect(typeof guard({})).toBe('function');
    expect(fieldOf(() => guard({ ORGANIZATION_DOMAINS: 'corp.example' }))).toBe('UPDATES_BUCKET');
    expect(typeof guard({ ORGANIZATION_DOMAINS: 'corp.example', TAG_EXTERNAL: 'off' })).toBe('function');
    expect(fieldOf(() => guard({ TAG_EXTERNAL: 'subject', UPDATES_BUCKET: 'corp-updates' }))).toBe(
      'ORGANIZATION_DOMAINS',
    );
    expect(fieldOf(() => guard({ ...base, TAG_EXTERNAL: 'footer' }))).toBe('TAG_EXTERNAL');
    expect(fieldOf(() => guard({ ...base, EXTERNAL_SUBJECT_TAG: '[EXT]\r\nBcc: x@evil.example' }))).toBe(
      'EXTERNAL_SUBJECT_TAG',
    );
    expect(fieldOf(() => guard({ ...base, VIRUS_ACTION: 'deliver' }))).toBe('VIRUS_ACTION');
    expect(fieldOf(() => guard({ ...base, PROTECTED_NAMES: '---' }))).toBe('PROTECTED_NAMES[0]');
    expect(fieldOf(() => guard({ ...base, AUDIT_MODE: 'attachments,banner' }))).toBe('AUDIT_MODE[1]');
    expect(fieldOf(() => guard({ ...base, PILOT_RECIPIENTS: 'not an address' }))).toBe('PILOT_RECIPIENTS');
    expect(fieldOf(() => guard({ ...base, UPDATES_KEY_PREFIX: 'bad_prefix' }))).toBe('UPDATES_KEY_PREFIX');
    expect(fieldOf(() => guard({ ...base, WMFLOW_POLICY: '{"SPAM_ACTION":"explode"}' }))).toBe(
      'WMFLOW_POLICY.SPAM_ACTION',
    );
    expect(
      typeof guard({ ...base, AUDIT_MODE: 'attachments, impersonation', PROTECTED_NAMES: 'Jane Doe' }),
    ).toBe('function');
  });

  it('outbound-policy', () => {
    expect(typeof outboundPolicy({})).toBe('function');
    expect(fieldOf(() => outboundPolicy({ DISCLAIMER_TEXT: 'Confidential.' }))).toBe('UPDATES_BUCKET');
    expect(fieldOf(() => outboundPolicy({ SENSITIVE_DATA_MIN_COUNT: '0' }))).toBe('SENSITIVE_DATA_MIN_COUNT');
    expect(fieldOf(() => outboundPolicy({ SENSITIVE_DATA_BOUNCE_MESSAGE: 'x'.repeat(3000) }))).toBe(
      'SENSITIVE_DATA_BOUNCE_MESSAGE',
    );
    expect(fieldOf(() => outboundPolicy({ INTERNAL_ONLY_SENDERS: 'kiosk@' }))).toBe(
      'INTERNAL_ONLY_SENDERS[0]',
    );
    expect(
      fieldOf(() => outboundPolicy({ ...base, DISCLAIMER_TEXT: 'x', DISCLAIMER_POSITION: 'middle' })),
    ).toBe('DISCLAIMER_POSITION');
  });
});
