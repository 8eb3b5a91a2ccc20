import { describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { loadTemplate, resourcesOf, type Template } from './cfn.js';

// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
const TABLE_ARN = '${RateTable.Arn}';
const BASE = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates-bucket' };

describe('rate settings of guard and outbound-policy', () => {
  it('builds with a storm group and rate limits over RATE_TABLE', () => {
    const limits = JSON.stringify([
      { name: 'per-sender', key: 'sender', limit: 100, window: '1h' },
      { key: { group: 'execs', recipients: ['ceo@corp.example'] }, limit: 20, window: '10m', action: 'junk' },
    ]);
    expect(
      typeof guard({ ...BASE, RATE_TABLE: 'rates', STORM_GROUPS: 'all@corp.example', RATE_LIMITS: limits }),
    ).toBe('function');
    const out = JSON.stringify([
      { key: 'sender', limit: 500, window: '1h', windowType: 'fixed', action: 'drop' },
    ]);
    expect(
      typeof outboundPolicy({ ...BASE, RATE_TABLE: 'rates', RATE_LIMITS: out, AUDIT_MODE: 'rate-limits' }),
    ).toBe('function');
  });

  it.each([
    [{ STORM_GROUPS: 'all@corp.example' }, /RATE_TABLE: is required/],
    [{ RATE_TABLE: 'rates', RATE_LIMITS: '{nope' }, /RATE_LIMITS: must be a JSON list/],
    [{ RATE_TABLE: 'rates', RATE_LIMITS: '{}' }, /RATE_LIMITS: must be a JSON list/],
    [{ RATE_TABLE: 'rates', RATE_LIMITS: '[3]' }, /RATE_LIMITS\[0\]: must be an object/],
    [
      { RATE_TABLE: 'rates', RATE_LIMITS: '[{"key":"sender","limit":0,"window":"1h"}]' },
      /RATE_LIMITS\[0\]: limit/,
    ],
    [
      { RATE_TABLE: 'rates', RATE_LIMITS: '[{"key":"sender","limit":5,"window":"1h","action":"junk"}]' },
      /RATE_LIMITS\[0\]: action/,
    ],
    [{ RATE_TABLE: 'rates', STORM_GROUPS: 'all@corp.example', STORM_WINDOW: 'soon' }, /STORM_WINDOW/],
    [{ RATE_TABLE: 'bad name!', STORM_GROUPS: 'all@corp.example' }, /RATE_TABLE/],
    [{ RATE_TABLE: 'rates', STORM_GROUPS: 'x', RATE_STORE_ON_ERROR: 'maybe' }, /RATE_STORE_ON_ERROR/],
  ])('outbound-policy refuses %j at cold start', (env, error) => {
    expect(() => outboundPolicy({ ...BASE, ...env })).toThrow(error);
  });
});

describe('template.yaml: the rate-counter table', () => {
  it('is created only when a rate setting is given: on demand, expiring by TTL, encrypted, with PITR', async () => {
    const t = await loadTemplate();
    const [[id, table] = []] = resourcesOf(t, 'AWS::DynamoDB::Table');
    expect(id).toBe('RateTable');
    expect(table?.Condition).toBe('UseRateTable');
    expect(JSON.stringify(t.Conditions.UseRateTable)).toMatch(
      /StormGroups.*GuardRateLimits.*OutboundRateLimits/,
    );
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('lets guard and outbound-policy only UpdateItem on that table, and only when it exists', async () => {
    const t = await loadTemplate();
    const dynamo: { fn: string; s: Template }[] = [];
    for (const [fn, r] of resourcesOf(t, 'AWS::Serverless::Function')) {
      for (const s of r.Properties.Policies.flatMap((p: Template) => p.Statement)) {
        if (JSON.stringify(s).includes('dynamodb:')) dynamo.push({ fn, s });
      }
      if (fn !== 'ArchiverFunction') {
        expect(r.Properties.Environment.Variables.RATE_TABLE).toEqual({
          'Fn::If': ['UseRateTable', { Ref: 'RateTable' }, ''],
        });
      }
    }
    expect(dynamo.map((d) => d.fn).sort()).toEqual(['GuardFunction', 'OutboundPolicyFunction']);
    for (const { s } of dynamo) {
      expect(s['Fn::If'][0]).toBe('UseRateTable');
      expect(s['Fn::If'][1]).toMatchObject({
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: { 'Fn::Sub': TABLE_ARN },
      });
      expect(s['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
    }
  });
});
