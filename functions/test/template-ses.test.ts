import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SES_FUNCTIONS } from '../build.js';
import { loadTemplate, resourcesOf, type Template } from './cfn.js';

let t: Template;
beforeAll(async () => {
  t = await loadTemplate(join(import.meta.dirname, '../../template-ses.yaml'));
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
const RULE_SET = 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:receipt-rule-set/${RuleSetName}';
const sub = (v: Template): string => (typeof v === 'string' ? v : [v['Fn::Sub']].flat()[0]);

describe('template-ses.yaml', () => {
  it('deploys the SES functions on nodejs22.x, the guard within SES’s 30 s', () => {
    expect(t.Globals.Function.Runtime).toBe('nodejs22.x');
    const uris = resourcesOf(t, 'AWS::Serverless::Function').map(([, r]) => r.Properties.CodeUri);
    expect(uris.sort()).toEqual(SES_FUNCTIONS.map((n) => `dist/functions/${n}/`).sort());
    expect(t.Resources.GuardSesFunction.Properties.Timeout).toBeLessThan(30);
  });

  it('runs the functions without source maps unless SourceMaps=true, as template.yaml does', async () => {
    const workmail = await loadTemplate(join(import.meta.dirname, '../../template.yaml'));
    expect(t.Parameters.SourceMaps.Default).toBe('false');
    expect(t.Parameters.SourceMaps).toEqual(workmail.Parameters.SourceMaps);
    expect(t.Conditions.SourceMapsOn).toEqual(workmail.Conditions.SourceMapsOn);
    expect(t.Globals.Function.Environment.Variables.NODE_OPTIONS).toEqual(
      workmail.Globals.Function.Environment.Variables.NODE_OPTIONS,
    );
  });

  it('lets SES invoke the functions only for this account’s receipt rule', () => {
    for (const [, p] of resourcesOf(t, 'AWS::Lambda::Permission')) {
      expect(p.Properties.Principal).toBe('ses.amazonaws.com');
      expect(p.Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
      expect(sub(p.Properties.SourceArn)).toBe(`${RULE_SET}:receipt-rule/wmflow-inbound`);
    }
  });

  it('lets SES write the inbound bucket only from this rule set, and only over TLS', () => {
    const [allow, deny] = t.Resources.InboundBucketPolicy.Properties.PolicyDocument.Statement;
    expect(allow.Principal).toEqual({ Service: 'ses.amazonaws.com' });
    expect(allow.Action).toBe('s3:PutObject');
    expect(allow.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(sub(allow.Condition.ArnLike['aws:SourceArn'])).toBe(`${RULE_SET}:receipt-rule/*`);
    expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('scopes ses:SendBounce to the bounce identity and grants no wildcard actions', () => {
    const statements = resourcesOf(t, 'AWS::Serverless::Function')
      .flatMap(([, r]) => r.Properties.Policies.flatMap((p: Template) => p.Statement))
      .flatMap((s: Template) => (s['Fn::If'] ? s['Fn::If'].slice(1).filter((b: Template) => !b.Ref) : [s]));
    const bounce = statements.filter((s: Template) => s.Action === 'ses:SendBounce');
    expect(bounce).toHaveLength(1);
    expect(sub(bounce[0].Resource)).toMatch(/:identity\/\$\{BounceSenderIdentity\}$/);
    for (const s of statements) {
      for (const a of [s.Action].flat()) expect(a).not.toContain('*');
      expect(sub(s.Resource ?? '')).not.toBe('*');
    }
  });

  it('journals into an existing bucket (the WorkMail stack’s) with its KMS key and Object Lock, when named', async () => {
    const workmail = await loadTemplate(join(import.meta.dirname, '../../template.yaml'));
    // The same parameters as template.yaml's, so the WorkMail stack's values are valid here as they are.
    for (const name of [
      'JournalBucketName',
      'JournalKmsKeyArn',
      'JournalRetentionDays',
      'JournalRetentionMode',
    ])
      for (const field of ['Type', 'Default', 'AllowedPattern', 'AllowedValues', 'MinValue', 'MaxValue'])
        expect(t.Parameters[name][field], `${name}.${field}`).toEqual(workmail.Parameters[name][field]);
    const chosen = {
      'Fn::If': ['CreateJournalBucket', { Ref: 'JournalBucket' }, { Ref: 'JournalBucketName' }],
    };
    expect(t.Conditions.CreateJournalBucket).toEqual({ 'Fn::Equals': [{ Ref: 'JournalBucketName' }, ''] });
    expect(t.Resources.JournalBucket.Condition).toBe('CreateJournalBucket');
    expect(t.Resources.JournalBucketPolicy.Condition).toBe('CreateJournalBucket');
    const archiver = t.Resources.ArchiverSesFunction.Properties;
    expect(archiver.Environment.Variables).toMatchObject({
      JOURNAL_BUCKET: chosen,
      KMS_KEY_ID: { Ref: 'JournalKmsKeyArn' },
      RETENTION_DAYS: { Ref: 'JournalRetentionDays' },
      RETENTION_MODE: { Ref: 'JournalRetentionMode' },
    });
    const [policy] = archiver.Policies;
    const write = policy.Statement.find((s: Template) => s.Sid === 'WriteJournal');
    expect(write.Action).toContain('s3:PutObjectRetention');
    expect(write.Resource['Fn::Sub'][1]).toEqual({ Bucket: chosen });
    const list = policy.Statement.find((s: Template) => s.Sid === 'TellAbsentKeysFromForbiddenOnes');
    expect(list.Resource['Fn::Sub'][1]).toEqual({ Bucket: chosen });
    const kms = policy.Statement.find((s: Template) => s['Fn::If']?.[0] === 'UseKms');
    expect(kms['Fn::If'][1]).toMatchObject({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: { Ref: 'JournalKmsKeyArn' },
    });
    // Object Lock only on a bucket this stack creates; an existing bucket keeps its own configuration.
    expect(t.Conditions.UseObjectLock['Fn::And'][0]).toEqual({ Condition: 'CreateJournalBucket' });
    expect(t.Outputs.JournalBucketName.Value).toEqual(chosen);
  });

  it('stores before the Lambda actions, journals before the guard, and quarantines on STOP_RULE', () => {
    const actions = t.Resources.InboundRule.Properties.Rule.Actions.map((a: Template) => Object.keys(a)[0]);
    expect(actions).toEqual(['S3Action', 'LambdaAction', 'LambdaAction', 'S3Action', 'StopAction']);
    const [, archiver, guard] = t.Resources.InboundRule.Properties.Rule.Actions;
    expect(archiver.LambdaAction).toMatchObject({ InvocationType: 'Event' });
    expect(guard.LambdaAction).toMatchObject({ InvocationType: 'RequestResponse' });
    expect(t.Resources.QuarantineRule.Properties.After).toEqual({ Ref: 'InboundRule' });
  });
});
