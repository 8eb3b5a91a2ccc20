import { bucketNameProblem, ConfigError } from '@wmflow/core';

/** The environment a function reads (`process.env`, or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

type PolicyValue = string | number | boolean | readonly string[];

// A domain, or `*.domain` for its subdomains (only listed subdomains count as internal).
const DOMAIN =
  /^(?:\*\.)?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/**
 * Configuration of a prebuilt function, read once at cold start. Each setting is an environment
 * variable; `WMFLOW_POLICY` may hold a JSON object with the same names (values: strings, numbers,
 * booleans or string arrays) for settings the variables leave empty. A variable set to the empty
 * string counts as unset (CloudFormation cannot leave a variable out). Every bad value is a
 * {@link ConfigError} naming the variable (or `WMFLOW_POLICY.<NAME>`); unknown policy keys are refused
 * so a typo cannot silently turn a protection off.
 *
 * @example
 * ```ts
 * const config = new FunctionConfig(process.env, ['JOURNAL_BUCKET']);
 * const bucket = config.bucket('JOURNAL_BUCKET', true);
 * ```
 */
export class FunctionConfig {
  private readonly policy: Readonly<Record<string, PolicyValue>>;

  constructor(
    private readonly env: Env,
    known: readonly string[],
  ) {
    this.policy = readPolicy(env.WMFLOW_POLICY, new Set([...COMMON, ...known]));
  }

  /** The value and the name to blame for it; undefined when neither the variable nor the policy sets it. */
  private raw(name: string): { value: PolicyValue; field: string } | undefined {
    const fromEnv = this.env[name];
    if (fromEnv !== undefined && fromEnv.trim() !== '') return { value: fromEnv, field: name };
    const fromPolicy = this.policy[name];
    return fromPolicy === undefined ? undefined : { value: fromPolicy, field: `WMFLOW_POLICY.${name}` };
  }

  /** True when the setting is given at all. */
  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  /** A text setting, trimmed. */
  text(name: string): string | undefined;
  text(name: string, fallback: string): string;
  text(name: string, fallback?: string): string | undefined {
    const r = this.raw(name);
    if (!r) return fallback;
    if (typeof r.value !== 'string') throw new ConfigError(r.field, 'must be text');
    return r.value.trim();
  }

  /** A boolean setting: true/false, yes/no, on/off, 1/0. */
  flag(name: string, fallback: boolean): boolean {
    const r = this.raw(name);
    if (!r) return fallback;
    if (typeof r.value === 'boolean') return r.value;
    const v = String(r.value).trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    throw new ConfigError(r.field, `must be true or false, got ${JSON.stringify(String(r.value))}`);
  }

  /** An integer setting within bounds. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const r = this.raw(name);
    if (!r) return fallback;
    const n = typeof r.value === 'number' ? r.value : Number(String(r.value).trim());
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new ConfigError(r.field, `must be an integer from ${min} to ${max}`);
    }
    return n;
  }

  /** One of a fixed set of words (case-insensitive). */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const r = this.raw(name);
    if (!r) return fallback;
    const v = String(r.value).trim().toLowerCase();
    const found = choices.find((c) => c === v);
    if (!found) throw new ConfigError(r.field, `must be one of ${choices.join(', ')}`);
    return found;
  }

  /** A list: separated by commas, semicolons or newlines (names may contain spaces); `#` lines are comments. */
  list(name: string): string[] | undefined {
    const r = this.raw(name);
    if (!r) return undefined;
    const items = Array.isArray(r.value)
      ? r.value
      : String(r.value)
          .split(/\r?\n/)
          .filter((line) => !line.trimStart().startsWith('#'))
          .flatMap((line) => line.split(/[,;]/));
    if (items.some((i) => typeof i !== 'string')) throw new ConfigError(r.field, 'must be a list of text');
    return items.map((i) => i.trim()).filter((i) => i !== '');
  }

  /** An S3 bucket name. */
  bucket(name: string, required: true): string;
  bucket(name: string, required?: boolean): string | undefined;
  bucket(name: string, required = false): string | undefined {
    const value = this.text(name);
    if (value === undefined) {
      if (required) throw new ConfigError(name, 'is required (an S3 bucket name)');
      return undefined;
    }
    const problem = bucketNameProblem(value);
    if (problem) throw new ConfigError(this.field(name), `must be an S3 bucket name: ${problem}`);
    return value;
  }

  /** `ORGANIZATION_DOMAINS`: the organization's own domains. */
  organizationDomains(): string[] {
    const domains = this.list('ORGANIZATION_DOMAINS') ?? [];
    domains.forEach((d, i) => {
      if (!DOMAIN.test(d)) {
        throw new ConfigError(
          `${this.field('ORGANIZATION_DOMAINS')}[${i}]`,
          `not a domain name: ${JSON.stringify(d)}`,
        );
      }
    });
    return domains.map((d) => d.toLowerCase());
  }

  /** The name to blame for a setting (the variable, or its policy key). */
  field(name: string): string {
    return this.raw(name)?.field ?? name;
  }
}

/** Settings every function reads (besides its own). */
export const COMMON = ['ORGANIZATION_DOMAINS', 'AUDIT_MODE', 'PILOT_RECIPIENTS', 'PILOT_SENDERS'] as const;

function readPolicy(text: string | undefined, known: ReadonlySet<string>): Record<string, PolicyValue> {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('WMFLOW_POLICY', `must be a JSON object: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('WMFLOW_POLICY', 'must be a JSON object');
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) {
      throw new ConfigError(
        `WMFLOW_POLICY.${key}`,
        `unknown setting (known: ${[...known].sort().join(', ')})`,
      );
    }
    const ok =
      ['string', 'number', 'boolean'].includes(typeof value) ||
      (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!ok)
      throw new ConfigError(`WMFLOW_POLICY.${key}`, 'must be text, a number, true/false or a list of text');
  }
  return parsed as Record<string, PolicyValue>;
}

/**
 * Runs a rule factory, re-labelling its {@link ConfigError} with the setting that fed the option at
 * fault, so the error names `EXTERNAL_SUBJECT_TAG` rather than the rule's option `subjectTag`.
 * `fields` maps option names (or their first path segment) to settings; a string names the setting
 * for every option.
 *
 * @example
 * ```ts
 * configured({ subjectTag: 'EXTERNAL_SUBJECT_TAG', banner: 'EXTERNAL_BANNER' }, () => tagExternal(options));
 * ```
 */
export function configured<T>(fields: string | Readonly<Record<string, string>>, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const detail = error.message.replace(/^invalid configuration [^:]*: /, '');
    if (typeof fields === 'string') throw new ConfigError(fields, `${error.field}: ${detail}`);
    const exact = fields[error.field];
    if (exact) throw new ConfigError(exact, detail);
    const option = error.field.split(/[.[]/)[0] ?? error.field;
    const setting = fields[option];
    if (!setting) throw new ConfigError(error.field, detail);
    // Keep a list index (`senders[2]` → `INTERNAL_ONLY_SENDERS[2]`); drop nested option names.
    const index = error.field.slice(option.length).match(/^\[\d+\]/)?.[0] ?? '';
    throw new ConfigError(`${setting}${index}`, detail);
  }
}
