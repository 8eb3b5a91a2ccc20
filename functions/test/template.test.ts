import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SAM_LOCAL_VARIABLES } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVER_SETTINGS, archiver } from '../archiver/archiver.js';
import { FUNCTIONS } from '../build.js';
import { GUARD_SETTINGS, guard } from '../guard/guard.js';
import { OUTBOUND_SETTINGS, outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { COMMON } from '../shared/config.js';
import { type Built, buildToTemp, runNode } from './built.js';
import { loadTemplate, resourcesOf, type Template } from './cfn.js';

const MESSAGE_ARN =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
  'arn:${AWS::Partition}:workmailmessageflow:${AWS::Region}:${AWS::AccountId}:message/${OrganizationId}/*';
const ORGANIZATION_ARN =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
  'arn:${AWS::Partition}:workmail:${AWS::Region}:${AWS::AccountId}:organization/${OrganizationId}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
const WORKMAIL = 'workmail.${AWS::Region}.amazonaws.com';

let t: Template;
let built: Built;
beforeAll(async () => {
  t = await loadTemplate();
  built = await buildToTemp();
}, 120_000);
afterAll(() => built?.remove());

const functions = () => resourcesOf(t, 'AWS::Serverless::Function');
/** Statements of every function's inline policies, `Fn::If` branches included. */
function statements(): { fn: string; s: Template }[] {
  const out: { fn: string; s: Template }[] = [];
  for (const [fn, r] of functions()) {
    for (const policy of r.Properties.Policies ?? []) {
      for (const s of policy.Statement ?? []) {
        if (s['Fn::If'])
          out.push(...[s['Fn::If'][1], s['Fn::If'][2]].filter((b) => !b.Ref).map((b) => ({ fn, s: b })));
        else out.push({ fn, s });
      }
    }
  }
  return out;
}
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const sub = (v: Template): string => (typeof v === 'string' ? v : list(v['Fn::Sub'])[0]);

describe('template.yaml', () => {
  it('is a SAM template of the three prebuilt functions on nodejs22.x, arm64', () => {
    expect(t.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(t.Globals.Function.Runtime).toBe('nodejs22.x');
    expect(t.Globals.Function.Architectures).toEqual(['arm64']);
    expect(t.Globals.Function.Handler).toBe('index.handler');
    const uris = functions().map(([, r]) => r.Properties.CodeUri);
    expect(uris.sort()).toEqual(FUNCTIONS.map((n) => `dist/functions/${n}/`).sort());
  });

  it('gives synchronous functions at most WorkMail’s 15 s', () => {
    for (const id of ['GuardFunction', 'OutboundPolicyFunction']) {
      expect(t.Resources[id].Properties.Timeout).toBeLessThanOrEqual(15);
    }
    expect(t.Resources.ArchiverFunction.Properties.Timeout).toEqual({
      'Fn::If': ['ArchiverIsSynchronous', 15, 120],
    });
  });

  it('points every CodeUri at a built bundle that exports handler', async () => {
    for (const [, r] of functions()) {
      const name = String(r.Properties.CodeUri).replace(/^dist\/functions\/|\/$/g, '');
      const file = join(built.outdir, name, 'index.mjs');
      expect(existsSync(file), file).toBe(true);
      expect(existsSync(`${file}.map`)).toBe(true);
      const { stdout } = await runNode(
        `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`,
        {
          AWS_REGION: 'us-east-1',
          JOURNAL_BUCKET: 'journal-bucket',
          ORGANIZATION_DOMAINS: 'corp.example',
          UPDATES_BUCKET: 'updates-bucket',
        },
      );
      expect(stdout.trim()).toBe('function');
    }
  });

  it('scopes Message Flow access to the organization’s messages', () => {
    const flow = statements().filter(({ s }) =>
      list(s.Action).some((a: string) => a.startsWith('workmailmessageflow:')),
    );
    expect(flow.map((f) => f.fn).sort()).toEqual([
      'ArchiverFunction',
      'GuardFunction',
      'OutboundPolicyFunction',
    ]);
    for (const { s } of flow) {
      expect(list(s.Resource).map(sub)).toEqual([MESSAGE_ARN]);
    }
    const updaters = flow.filter(({ s }) =>
      list(s.Action).includes('workmailmessageflow:PutRawMessageContent'),
    );
    expect(updaters.map((f) => f.fn).sort()).toEqual(['GuardFunction', 'OutboundPolicyFunction']);
  });

  it('lets functions write only under their bucket prefixes, never *', () => {
    for (const { fn, s } of statements()) {
      expect(s.Effect).toBe('Allow');
      for (const action of list(s.Action) as string[]) expect(action, fn).not.toMatch(/\*/);
      for (const resource of list(s.Resource)) {
        expect(resource, fn).not.toBe('*');
        if (typeof resource === 'string') continue;
        expect(sub(resource) ?? resource.Ref, fn).not.toMatch(/^arn:[^:]*:s3:::\*/);
      }
      const writes = list(s.Action).filter((a: string) => /^s3:(Put|Delete|Abort)/.test(a));
      if (writes.length > 0) {
        for (const resource of list(s.Resource).map(sub))
          expect(resource, fn).toMatch(/\$\{[A-Za-z.]*Bucket[A-Za-z.]*\}\/[^*]+\/\*$/);
      }
    }
  });

  it('encrypts every bucket, blocks public access and denies plain HTTP', () => {
    const buckets = resourcesOf(t, 'AWS::S3::Bucket');
    expect(buckets.map(([id]) => id).sort()).toEqual(['JournalBucket', 'UpdatesBucket']);
    const policies = resourcesOf(t, 'AWS::S3::BucketPolicy');
    for (const [id, b] of buckets) {
      expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toHaveLength(1);
      expect(Object.values(b.Properties.PublicAccessBlockConfiguration)).toEqual([true, true, true, true]);
      const policy = policies.find(([, p]) => p.Properties.Bucket.Ref === id)?.[1];
      expect(policy, id).toBeDefined();
      const deny = policy?.Properties.PolicyDocument.Statement.find((s: Template) => s.Effect === 'Deny');
      expect(deny.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      expect(deny.Principal).toBe('*');
      expect(list(deny.Resource).map((r: Template) => r['Fn::GetAtt']?.join('.') ?? sub(r))).toEqual([
        `${id}.Arn`,
        `\${${id}.Arn}/*`,
      ]);
    }
  });

  it('lets only WorkMail, for this account and organization, read updated messages, over TLS; they expire in a day', () => {
    const bucket = t.Resources.UpdatesBucket.Properties;
    expect(bucket.LifecycleConfiguration.Rules[0]).toMatchObject({ Status: 'Enabled', ExpirationInDays: 1 });
    const allows = t.Resources.UpdatesBucketPolicy.Properties.PolicyDocument.Statement.filter(
      (s: Template) => s.Effect === 'Allow',
    );
    expect(allows).toHaveLength(1);
    const [allow] = allows;
    expect(sub(allow.Principal.Service)).toBe(WORKMAIL);
    expect(allow.Action).toBe('s3:GetObject');
    expect(allow.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(sub(allow.Condition.ArnLike['aws:SourceArn'])).toBe(MESSAGE_ARN);
    expect(allow.Condition.Bool['aws:SecureTransport']).toBe('true');
  });

  it('lets WorkMail invoke each function, from this organization only', () => {
    const permissions = resourcesOf(t, 'AWS::Lambda::Permission');
    expect(permissions.map(([, p]) => p.Properties.FunctionName['Fn::GetAtt'][0]).sort()).toEqual(
      functions()
        .map(([id]) => id)
        .sort(),
    );
    for (const [, p] of permissions) {
      expect(p.Properties.Action).toBe('lambda:InvokeFunction');
      expect(sub(p.Properties.Principal)).toBe(WORKMAIL);
      expect(sub(p.Properties.SourceArn)).toBe(ORGANIZATION_ARN);
      expect(p.Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    }
  });

  it('outputs every function ARN', () => {
    for (const [id] of functions()) {
      expect(t.Outputs[`${id}Arn`].Value).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    }
  });

  it('sets only variables the functions know, and samples/env/local.json configures each function', async () => {
    const known: Record<
      string,
      { settings: readonly string[]; build: (env: Record<string, string>) => unknown }
    > = {
      ArchiverFunction: { settings: ARCHIVER_SETTINGS, build: archiver },
      GuardFunction: { settings: GUARD_SETTINGS, build: guard },
      OutboundPolicyFunction: { settings: OUTBOUND_SETTINGS, build: outboundPolicy },
    };
    const global = Object.keys(t.Globals.Function.Environment.Variables);
    const samples = JSON.parse(
      await readFile(join(import.meta.dirname, '../../samples/env/local.json'), 'utf8'),
    );
    for (const [id, r] of functions()) {
      const entry = known[id];
      expect(entry, id).toBeDefined();
      const allowed = new Set([
        ...COMMON,
        ...(entry?.settings ?? []),
        'WMFLOW_POLICY',
        'NODE_OPTIONS',
        ...SAM_LOCAL_VARIABLES,
      ]);
      for (const name of [...global, ...Object.keys(r.Properties.Environment.Variables)]) {
        expect(allowed.has(name), `${id} sets ${name}`).toBe(true);
      }
      for (const name of Object.keys(samples[id]))
        expect(allowed.has(name), `samples ${id}.${name}`).toBe(true);
      expect(typeof entry?.build(samples[id])).toBe('function');
    }
  });

  it('declares the endpoint variables empty, so only sam local invoke --env-vars points them anywhere', () => {
    const variables = t.Globals.Function.Environment.Variables;
    expect(variables.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW).toBe('');
    expect(variables.AWS_ENDPOINT_URL_S3).toBe('');
    for (const name of SAM_LOCAL_VARIABLES) expect(Object.keys(variables)).toContain(name);
  });

  it('runs the functions without source maps unless SourceMaps=true (they cost a tenth of a cold start)', () => {
    expect(t.Parameters.SourceMaps.Default).toBe('false');
    expect(t.Conditions.SourceMapsOn).toEqual({ 'Fn::Equals': [{ Ref: 'SourceMaps' }, 'true'] });
    expect(t.Globals.Function.Environment.Variables.NODE_OPTIONS).toEqual({
      'Fn::If': ['SourceMapsOn', '--enable-source-maps', ''],
    });
  });

  it('builds each function from the environment the template gives it with default parameters', () => {
    const builders: Record<string, (env: Record<string, string>) => unknown> = {
      ArchiverFunction: archiver,
      GuardFunction: guard,
      OutboundPolicyFunction: outboundPolicy,
    };
    const param = (name: string): string =>
      name in t.Parameters ? String(t.Parameters[name].Default ?? '') : `${name.toLowerCase()}-name`;
    // Conditions as they come out for the default parameters (a created journal bucket, no KMS key).
    const conditions: Record<string, boolean> = {
      CreateJournalBucket: true,
      UseKms: false,
      ArchiverIsSynchronous: false,
      SourceMapsOn: false,
    };
    const resolve = (v: Template): string => {
      if (typeof v !== 'object') return String(v);
      if (v.Ref) return param(v.Ref);
      if (v['Fn::If']) return resolve(conditions[v['Fn::If'][0]] ? v['Fn::If'][1] : v['Fn::If'][2]);
      if (v['Fn::Sub'])
        return String(v['Fn::Sub']).replace(/\$\{([^}]+)\}/g, (_m: string, n: string) => param(n));
      throw new Error(`cannot resolve ${JSON.stringify(v)}`);
    };
    for (const [id, r] of functions()) {
      const variables = {
        ...t.Globals.Function.Environment.Variables,
        ...r.Properties.Environment.Variables,
      };
      const env = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, resolve(v as Template)]));
      expect(typeof builders[id]?.(env), id).toBe('function');
      expect(typeof builders[id]?.({ ...env, ORGANIZATION_DOMAINS: 'corp.example' }), id).toBe('function');
    }
  });
});
