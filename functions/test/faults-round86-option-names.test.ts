/**
 * Fault round 86: the option-name check (core option-names.ts, wired into every rule factory, flow() and
 * sesFlow()) must not turn a valid deployment into a cold-start ConfigError, which would fail every message.
 * Each prebuilt function is built with each documented setting (docs/deploy.md, docs/moving-off-workmail.md)
 * at each of its documented values, alone and all at once, as environment variables and through WMFLOW_POLICY.
 */
import { describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guard } from '../guard/guard.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';

type Env = Record<string, string>;

const COMMON: Record<string, string[]> = {
  ORGANIZATION_DOMAINS: ['corp.example', 'corp.example, *.corp.example'],
  AUDIT_MODE: ['true', 'false'],
  PILOT_RECIPIENTS: ['pilot@corp.example'],
  PILOT_SENDERS: ['pilot@corp.example'],
};

const RATE: Record<string, string[]> = {
  STORM_GROUPS: ['all-staff@corp.example'],
  STORM_THRESHOLD: ['50'],
  STORM_WINDOW: ['30s', '5m'],
  STORM_COOL_DOWN: ['10m'],
  STORM_BOUNCE_MESSAGE: ['A mail storm.'],
  RATE_STORE_ON_ERROR: ['fail-open', 'fail-closed', 'retry'],
  RATE_LIMITS: [
    '[{"name":"per-sender","key":"sender","limit":300,"window":"1h"}]',
    '[{"key":"sender-domain","limit":3,"window":"1m","windowType":"fixed"}]',
    '[{"name":"r","key":"recipient","limit":3,"window":"1m","windowType":"sliding","action":"drop"}]',
    '[{"name":"p","key":"pair","limit":3,"window":"1m","action":"bounce","bounceMessage":"Slow down.","onStoreError":"fail-closed"}]',
    '[{"name":"g","key":{"group":"execs","recipients":["ceo@corp.example"]},"limit":3,"window":"1m","onStoreError":"retry"}]',
  ],
};
const RATE_INBOUND_JUNK = '[{"name":"j","key":"sender","limit":3,"window":"1m","action":"junk"}]';

const ARCHIVER: Record<string, string[]> = {
  KEY_TEMPLATE: [
    'journal/{direction}/{yyyy}/{mm}/{dd}/{messageId}',
    'j/{yyyy}/{mm}/{dd}/{hh}/{invocationId}',
  ],
  KMS_KEY_ID: [
    'alias/journal',
    'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  ],
  RETENTION_DAYS: ['0', '365'],
  RETENTION_MODE: ['GOVERNANCE', 'COMPLIANCE'],
  METADATA: ['true', 'false'],
  SYNCHRONOUS: ['true', 'false'],
};

const GUARD: Record<string, string[]> = {
  UPDATES_KEY_PREFIX: ['wmflow-updates'],
  SES_VERDICTS: ['true', 'false'],
  VIRUS_ACTION: ['bounce', 'drop', 'junk'],
  VIRUS_BOUNCE_MESSAGE: ['A virus.'],
  SPAM_ACTION: ['junk', 'bounce', 'drop', 'deliver'],
  SPAM_BOUNCE_MESSAGE: ['Spam.'],
  ATTACHMENT_POLICY: ['true', 'false'],
  ATTACHMENT_ACTION: ['bounce', 'strip', 'junk', 'drop'],
  ATTACHMENT_BOUNCE_MESSAGE: ['No such files.'],
  EXTRA_BLOCKED_EXTENSIONS: ['iso, img'],
  ALLOWED_EXTENSIONS: ['iso, one'],
  BLOCK_ARCHIVES: ['true', 'false'],
  BLOCK_ACTIVE_MARKUP: ['true', 'false'],
  ALLOW_SMIME: ['true', 'false'],
  ALLOW_ENCRYPTED_ARCHIVES: ['true', 'false'],
  ALLOW_UNLISTED_ARCHIVES: ['true', 'false'],
  TAG_EXTERNAL: ['subject', 'banner', 'subject,banner', 'false'],
  EXTERNAL_SUBJECT_TAG: ['[EXT]'],
  EXTERNAL_BANNER: ['Careful: outside mail.'],
  EXTERNAL_MARKER_KEY: ['0123456789abcdef0123456789abcdef'],
  SIGNED_CONTENT: ['headers-only', 'wrap'],
  PROTECTED_NAMES: ['Jane Doe, Finance Team'],
  IMPERSONATION_ACTION: ['junk', 'bounce', 'drop'],
  IMPERSONATION_BOUNCE_MESSAGE: ['Imitation.'],
  IMPERSONATION_ALLOWED_SENDERS: ['jane@partner.example'],
};

const OUTBOUND: Record<string, string[]> = {
  UPDATES_KEY_PREFIX: ['wmflow-updates'],
  SENSITIVE_DATA: ['payment-card,iban', 'payment-card', 'iban', 'false', 'true'],
  SENSITIVE_DATA_MIN_COUNT: ['1', '3'],
  SENSITIVE_DATA_SCOPE: ['external', 'all'],
  SENSITIVE_DATA_BOUNCE_MESSAGE: ['Numbers.'],
  SENSITIVE_DATA_UNREAD_BOUNCE_MESSAGE: ['Unread.'],
  ALLOW_ENCRYPTED_ARCHIVES: ['true', 'false'],
  ALLOW_UNREAD_ARCHIVES: ['true', 'false'],
  DISCLAIMER_TEXT: ['Confidential.\\nSecond line.'],
  DISCLAIMER_POSITION: ['bottom', 'top'],
  DISCLAIMER_EXTERNAL_ONLY: ['true', 'false'],
  INTERNAL_ONLY_SENDERS: ['intern@corp.example'],
  INTERNAL_ONLY_ALLOWED_RECIPIENTS: ['auditor@partner.example'],
  INTERNAL_ONLY_BOUNCE_MESSAGE: ['Inside only.'],
};

const SES: Record<string, string[]> = {
  STORED_KEY_PREFIX: ['inbound/'],
  JUNK_POLICY: ['quarantine', 'deliver', 'drop'],
  MIXED_POLICY: ['most-protective', 'least-protective'],
};

const DMARC: Record<string, string[]> = {
  DMARC_ENFORCEMENT: ['true', 'false'],
  DMARC_REJECT_ACTION: ['bounce', 'drop', 'junk'],
  DMARC_QUARANTINE_ACTION: ['junk', 'bounce', 'drop', 'deliver'],
  DMARC_BOUNCE_MESSAGE: ['DMARC said no.'],
  HELD_KEY_PREFIX: ['held/'],
};

interface Fn {
  name: string;
  build: (env: Env) => unknown;
  base: Env;
  settings: Record<string, string[]>;
}

const FUNCTIONS: Fn[] = [
  {
    name: 'archiver',
    build: archiver,
    base: { JOURNAL_BUCKET: 'journal' },
    settings: { ...COMMON, ...ARCHIVER },
  },
  {
    name: 'guard',
    build: guard,
    // Tagging (TAG_EXTERNAL other than false) needs ORGANIZATION_DOMAINS (documented).
    base: { UPDATES_BUCKET: 'updates', RATE_TABLE: 'rate', ORGANIZATION_DOMAINS: 'corp.example' },
    settings: { ...COMMON, ...GUARD, ...RATE, RATE_LIMITS: [...(RATE.RATE_LIMITS ?? []), RATE_INBOUND_JUNK] },
  },
  {
    name: 'outbound-policy',
    build: outboundPolicy,
    base: { UPDATES_BUCKET: 'updates', RATE_TABLE: 'rate' },
    settings: { ...COMMON, ...OUTBOUND, ...RATE },
  },
  {
    name: 'guard-ses',
    build: guardSes,
    base: {
      STORED_BUCKET: 'inbound',
      BOUNCE_SENDER: 'postmaster@corp.example',
      RATE_TABLE: 'rate',
      ORGANIZATION_DOMAINS: 'corp.example',
    },
    settings: (() => {
      const s: Record<string, string[]> = { ...COMMON, ...GUARD, ...RATE, ...SES, ...DMARC };
      // Documented as not used on SES (a start-up note), not an error.
      delete s.UPDATES_KEY_PREFIX;
      // strip is refused on SES by name (a receipt rule cannot rewrite the message; docs/moving-off-workmail.md).
      s.ATTACHMENT_ACTION = ['bounce', 'junk', 'drop'];
      return s;
    })(),
  },
  {
    name: 'archiver-ses',
    build: archiverSes,
    base: { JOURNAL_BUCKET: 'journal', STORED_BUCKET: 'inbound' },
    settings: { ...COMMON, ...ARCHIVER, ...SES },
  },
];

/** The error a build throws, as text, or undefined. */
function buildError(build: (env: Env) => unknown, env: Env): string | undefined {
  try {
    build(env);
    return undefined;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('fault round 86: every documented setting still builds each prebuilt function', () => {
  for (const fn of FUNCTIONS) {
    it(`${fn.name}: each setting at each value, as a variable and through WMFLOW_POLICY`, () => {
      const failures: string[] = [];
      for (const [name, values] of Object.entries(fn.settings)) {
        for (const value of values) {
          const asVar = buildError(fn.build, { ...fn.base, [name]: value });
          if (asVar) failures.push(`${name}=${value}: ${asVar}`);
          const asPolicy = buildError(fn.build, {
            ...fn.base,
            WMFLOW_POLICY: JSON.stringify({ [name]: value }),
          });
          if (asPolicy) failures.push(`WMFLOW_POLICY.${name}=${value}: ${asPolicy}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it(`${fn.name}: every pair of settings, each at each value`, () => {
      const failures: string[] = [];
      const entries = Object.entries(fn.settings).flatMap(([n, vs]) => vs.map((v) => [n, v] as const));
      for (let i = 0; i < entries.length; i++) {
        for (let j = i + 1; j < entries.length; j++) {
          const [a, av] = entries[i] as readonly [string, string];
          const [b, bv] = entries[j] as readonly [string, string];
          if (a === b) continue;
          const error = buildError(fn.build, { ...fn.base, [a]: av, [b]: bv });
          if (error) failures.push(`${a}=${av} ${b}=${bv}: ${error}`);
        }
      }
      expect(failures.slice(0, 20)).toEqual([]);
    });

    it(`${fn.name}: every setting at once, at each value index`, () => {
      const failures: string[] = [];
      const widest = Math.max(...Object.values(fn.settings).map((v) => v.length));
      for (let i = 0; i < widest; i++) {
        const env: Env = { ...fn.base };
        for (const [name, values] of Object.entries(fn.settings))
          env[name] = values[i % values.length] as string;
        const error = buildError(fn.build, env);
        if (error) failures.push(`#${i}: ${error}`);
      }
      expect(failures).toEqual([]);
    });
  }
});
