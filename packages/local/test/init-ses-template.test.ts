import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, resourcesOf, type Template } from '../../../functions/test/cfn.js';

// The stack `wmflow init --engine ses` writes: SES may invoke the function only from the receipt rule the same
// template creates, and write the bucket only from this rule set, over TLS; the function reads only what the
// S3 action stored and bounces only as the verified identity; the message is stored before the function runs.
let t: Template;
beforeAll(async () => {
  t = await loadTemplate(new URL('../templates/init-ses/template.yaml', import.meta.url).pathname);
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
const RULE_SET = 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:receipt-rule-set/${RuleSetName}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
const STORED = '${InboundBucket.Arn}/inbound/*';
const BOUNCE_IDENTITY =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
  'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${BounceSenderIdentity}';
const sub = (v: Template): string => (typeof v === 'string' ? v : [v['Fn::Sub']].flat()[0]);

describe('the SES project stack (wmflow init --engine ses)', () => {
  it('runs the bundle on nodejs22.x within SES’s 30 s, reading the stored message where the S3 action puts it', () => {
    const fn = t.Resources.Handler.Properties;
    expect(fn).toMatchObject({ CodeUri: 'dist/handler/', Handler: 'index.handler', Runtime: 'nodejs22.x' });
    expect(fn.Timeout).toBeLessThan(30);
    const [store] = t.Resources.InboundRule.Properties.Rule.Actions;
    expect(fn.Environment.Variables.STORED_BUCKET).toEqual({ Ref: 'InboundBucket' });
    expect(fn.Environment.Variables.STORED_KEY_PREFIX).toBe(store.S3Action.ObjectKeyPrefix);
    expect(fn.Environment.Variables.BOUNCE_SENDER).toEqual({ Ref: 'BounceSender' });
  });

  it('lets SES invoke the function only for the receipt rule this template creates', () => {
    const permissions = resourcesOf(t, 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(1);
    const permission = permissions[0]?.[1] as Template;
    const name = t.Resources.InboundRule.Properties.Rule.Name;
    expect(permission.Properties).toMatchObject({
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      FunctionName: { 'Fn::GetAtt': ['Handler', 'Arn'] },
    });
    expect(sub(permission.Properties.SourceArn)).toBe(`${RULE_SET}:receipt-rule/${name}`);
    expect(t.Resources.InboundRule.DependsOn).toContain('HandlerInvokePermission');
  });

  it('lets SES write the bucket only from this rule set and only over TLS; the function reads inbound/ and bounces as the identity', () => {
    const [allow, deny] = t.Resources.InboundBucketPolicy.Properties.PolicyDocument.Statement;
    expect(allow).toMatchObject({ Principal: { Service: 'ses.amazonaws.com' }, Action: 's3:PutObject' });
    expect(sub(allow.Condition.ArnLike['aws:SourceArn'])).toBe(`${RULE_SET}:receipt-rule/*`);
    expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const statements = t.Resources.Handler.Properties.Policies.flatMap((p: Template) => p.Statement);
    expect(statements.map((s: Template) => [s.Action, sub(s.Resource)])).toEqual([
      ['s3:GetObject', STORED],
      ['ses:SendBounce', BOUNCE_IDENTITY],
    ]);
  });

  it('stores, runs the function (RequestResponse), delivers and stops; STOP_RULE falls through to quarantine', () => {
    const actions = t.Resources.InboundRule.Properties.Rule.Actions;
    expect(actions.map((a: Template) => Object.keys(a)[0])).toEqual([
      'S3Action',
      'LambdaAction',
      'S3Action',
      'StopAction',
    ]);
    expect(actions[1].LambdaAction).toMatchObject({
      FunctionArn: { 'Fn::GetAtt': ['Handler', 'Arn'] },
      InvocationType: 'RequestResponse',
    });
    expect(actions[3].StopAction.Scope).toBe('RuleSet');
    const quarantine = t.Resources.QuarantineRule.Properties;
    expect(quarantine.After).toEqual({ Ref: 'InboundRule' });
    // A held message ends at the quarantine: a rule added to the set after it never delivers it (attacker round 115).
    expect(quarantine.Rule.Actions).toEqual([
      { S3Action: { BucketName: { Ref: 'InboundBucket' }, ObjectKeyPrefix: 'quarantine/' } },
      { StopAction: { Scope: 'RuleSet' } },
    ]);
  });

  it('is what the project README says: the parameters sam deploy --guided asks for, the outputs, the rule set', async () => {
    const readme = await readFile(new URL('../templates/init-ses/README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(t.Parameters))
      expect(readme, `parameter ${name}`).toContain(`\`${name}\``);
    for (const name of Object.keys(t.Outputs)) expect(readme, `output ${name}`).toContain(`\`${name}\``);
    const ruleSet = t.Parameters.RuleSetName.Default;
    expect(readme).toContain(`aws ses set-active-receipt-rule-set --rule-set-name ${ruleSet}`);
    expect(t.Outputs.ReceiptRuleSetName.Value).toEqual({ Ref: 'ReceiptRuleSet' });
    expect(readme).toContain(`sam local invoke ${resourcesOf(t, 'AWS::Serverless::Function')[0]?.[0]} `);
  });
});
