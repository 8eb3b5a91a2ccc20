import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate, type Template } from '../../../functions/test/cfn.js';
import { remoteInput } from '../src/backtest/remote.js';
import { ROOT } from './backtest-helpers.js';

const template = await loadTemplate(join(ROOT, 'template-backtest.yaml'));
const machine = template.Resources.BacktestStateMachine as Template;
const definition = machine.Properties.Definition as Template;
const map = definition.States[definition.StartAt] as Template;
const task = map.ItemProcessor.States[map.ItemProcessor.StartAt] as Template;

/** The value at a `$.a.b` path of an object. */
const at = (input: unknown, path: string) =>
  path
    .slice(2)
    .split('.')
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], input);

describe('template-backtest.yaml: the state machine', () => {
  it('is one Distributed Map whose item reader lists the journal prefix', () => {
    expect(machine.Type).toBe('AWS::Serverless::StateMachine');
    expect(Object.keys(definition.States)).toEqual([definition.StartAt]);
    expect(map.Type).toBe('Map');
    expect(map.End).toBe(true);
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:listObjectsV2',
      Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
    });
  });

  it('reads from the execution input only paths that wmflow backtest --remote fills', () => {
    const input = remoteInput('s3://acme-journal/journal/', {
      candidate: { function: 'guard' },
      env: {},
      organizationDomains: ['corp.example'],
      timeoutMs: 15_000,
    });
    for (const p of [
      map.MaxConcurrencyPath,
      map.ItemBatcher.MaxItemsPerBatchPath,
      ...Object.values(map.ItemReader.Parameters),
      ...Object.values(map.ItemBatcher.BatchInput),
    ]) {
      expect(at(input, p as string), p as string).toBeDefined();
    }
    expect(input).toMatchObject({
      bucket: 'acme-journal',
      prefix: 'journal/',
      batchSize: 50,
      concurrency: 50,
    });
  });

  it('hands each batch to the batch Lambda as { Items, BatchInput: { bucket, init } }, with retries', () => {
    expect(map.ItemBatcher.BatchInput).toEqual({ 'bucket.$': '$.bucket', 'init.$': '$.init' });
    expect(task.Type).toBe('Task');
    expect(task.Resource).toBe('arn:aws:states:::lambda:invoke');
    // The child's input as it is, with the batch's retry count and the retries allowed (fault round 53).
    expect(task.Parameters).toEqual({
      FunctionName: `\${BatchFunctionArn}`,
      Payload: {
        'Items.$': '$.Items',
        'BatchInput.$': '$.BatchInput',
        'RetryCount.$': '$$.State.RetryCount',
        RetriesAllowed: 2,
      },
    });
    expect(task.OutputPath).toBe('$.Payload');
    expect(machine.Properties.DefinitionSubstitutions.BatchFunctionArn).toEqual({
      'Fn::GetAtt': ['BatchFunction', 'Arn'],
    });
    const throttles = task.Retry.find((r: Template) =>
      r.ErrorEquals.includes('Lambda.TooManyRequestsException'),
    );
    expect(throttles.MaxAttempts).toBeGreaterThanOrEqual(3);
    expect(throttles.BackoffRate).toBeGreaterThan(1);
    expect(task.Retry.some((r: Template) => r.ErrorEquals.includes('States.TaskFailed'))).toBe(true);
  });

  it('writes the results to the results bucket with the ResultWriter, and lets failed batches be reported', () => {
    expect(map.ResultWriter.Resource).toBe('arn:aws:states:::s3:putObject');
    expect(map.ResultWriter.Parameters.Bucket).toBe(`\${ResultsBucket}`);
    expect(machine.Properties.DefinitionSubstitutions.ResultsBucket).toEqual({ Ref: 'ResultsBucket' });
    expect(map.ToleratedFailurePercentage).toBe(100);
    const placeholders = JSON.stringify(definition).match(/\$\{(\w+)\}/g) ?? [];
    for (const p of placeholders)
      expect(machine.Properties.DefinitionSubstitutions).toHaveProperty(p.slice(2, -1));
  });

  it('gives the batch Lambda read access to the journal and nothing of WorkMail', () => {
    const fn = template.Resources.BatchFunction as Template;
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Handler).toBe('index.handler');
    const actions = JSON.stringify(fn.Properties.Policies);
    expect(actions).toContain('s3:GetObject');
    expect(actions).not.toMatch(/workmail|s3:PutObject|s3:\*/i);
    // Listing the journal prefix only: a missing key then reads as 404, and a batch can ask what is listed.
    const statements = (fn.Properties.Policies as { Statement?: { Sid?: string }[] }[]).flatMap(
      (p) => p.Statement ?? [],
    );
    expect(statements.find((s) => s.Sid === 'ListJournal')).toMatchObject({
      Action: 's3:ListBucket',
      Condition: { StringLike: { 's3:prefix': { 'Fn::Sub': `\${JournalKeyPrefix}/*` } } },
    });
  });
});
