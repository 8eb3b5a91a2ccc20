import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, type Template } from '../../../functions/test/cfn.js';
import { REPO } from './packed-app.js';
import { collect, FROM_SOURCE } from './replay-helpers.js';

// Newcomer round 5: docs/own-lambda.md took a newcomer who adds the rules everyone adds first (tag outside mail,
// journal to S3) no further than a handler with a subject tag and "copy from the repository's template.yaml": the
// journal's bucket and grants were not mentioned, and `tagExternal()` was shown without `markerKey`, so a banner
// added by such a handler came twice when WorkMail retried an invocation whose runtime had been ended (each runtime
// keys its own seal). The section now gives the handler, the replay and the stack: this file runs all three.
const DOC = join(REPO, 'docs/own-lambda.md');
const INIT = join(REPO, 'packages/local/templates/init');
const DIR = join(REPO, '.wmflow-tmp', `newcomer-round5-${process.pid}`);
const BANNER = 'This message came from outside Corp.';

let section = '';
const block = (lang: string): string => {
  const found = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(section)?.[1];
  if (found === undefined) throw new Error(`no ${lang} block in the section`);
  return found;
};

beforeAll(async () => {
  const doc = await readFile(DOC, 'utf8');
  const start = doc.indexOf('## Rules that edit the message, or journal it');
  expect(start, 'the section of docs/own-lambda.md').toBeGreaterThan(0);
  section = doc.slice(start, doc.indexOf('\n## ', start + 1));
  await mkdir(join(DIR, 'src'), { recursive: true });
  await cp(join(INIT, 'mail'), join(DIR, 'mail'), { recursive: true });
  await writeFile(join(DIR, 'src/handler.ts'), block('ts'));
});
afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});

describe('the handler of "Rules that edit the message, or journal it"', () => {
  it('passes the test script the section gives, with the expectations it describes', async () => {
    const command = /`(wmflow replay mail --handler src\/handler\.ts --check[^`]*)`/
      .exec(section)?.[1]
      ?.split(/\s+/);
    expect(command).toBeDefined();
    // As the section says: every message journaled (two objects), outside mail tagged.
    for (const name of ['01-lunch', '02-newsletter', '03-blocked-sender'])
      await writeFile(
        join(DIR, `mail/${name}.expect.json`),
        JSON.stringify({
          verdicts: { '*': 'DEFAULT' },
          rulesFired: ['journal-to-s3', 'tag-external'],
          journaled: 2,
          subjectPrefix: '[EXTERNAL]',
          error: false,
          failures: false,
        }),
      );
    const run = await collect(process.execPath, [...FROM_SOURCE, ...(command as string[]).slice(1)], {
      cwd: DIR,
      env: { ...process.env },
    });
    expect(run.stdout).toContain('expectations 3/3 met');
    expect(run.code).toBe(0);
  });

  describe('WorkMail retries a tagged message in another runtime', () => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await startLocalStack({ buckets: ['updates', 'journal'] });
      Object.assign(process.env, stack.env, { UPDATES_BUCKET: 'updates', JOURNAL_BUCKET: 'journal' });
    });
    afterAll(() => stack.stop());

    // One runtime: the handler module loaded afresh, with the environment the stack gives it.
    let runtimes = 0;
    async function runtime(markerKey: string | undefined) {
      if (markerKey === undefined) delete process.env.EXTERNAL_MARKER_KEY;
      else process.env.EXTERNAL_MARKER_KEY = markerKey;
      const url = `${pathToFileURL(join(DIR, 'src/handler.ts')).href}?runtime=${++runtimes}`;
      const loaded = (await import(/* @vite-ignore */ url)) as {
        handler: (event: unknown, context: unknown) => Promise<unknown>;
      };
      return loaded.handler;
    }

    async function bannersAfterRetry(markerKey: string | undefined): Promise<number> {
      const messageId = await stack.flow.loadFile(join(DIR, 'mail/01-lunch.eml'));
      const event = makeFlowEvent({
        messageId,
        mailFrom: 'alice@partner.example',
        recipients: ['bob@corp.example'],
        invocationId: `retried-${runtimes}`,
      });
      // The first runtime's update reaches WorkMail, then the runtime is ended before it answers; the retry (same
      // event, same invocation id) runs in a new one.
      await (await runtime(markerKey))(event, lambdaContext());
      expect(stack.flow.history(messageId)).toHaveLength(2);
      await (await runtime(markerKey))(event, lambdaContext());
      const delivered = stack.flow.history(messageId).at(-1)?.content.toString('latin1') ?? '';
      expect(delivered).toMatch(/^Subject: \[EXTERNAL\] Lunch on Friday\?\r?$/m);
      // The journal kept the message as it arrived and filed the edited one the retry read beside it.
      const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: 'journal' }));
      const keys = (listed.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k.includes(messageId));
      expect(keys.filter((k) => /\.repaired-[0-9a-f]+$/.test(k))).toHaveLength(1);
      return delivered.split(BANNER).length - 1;
    }

    it('keeps one banner when every runtime has the key the stack gives (EXTERNAL_MARKER_KEY)', async () => {
      expect(await bannersAfterRetry('k9'.repeat(24))).toBe(1);
    });

    it('(why the key is set) each runtime keys its own seal without it, and the retry adds a second banner', async () => {
      expect(await bannersAfterRetry(undefined)).toBe(2);
    });

    it('refuses a key too short to be one, so a wrong setting fails at load rather than weakening the seal', async () => {
      await expect(runtime('short')).rejects.toThrow(/markerKey/);
    });
  });
});

describe('the stack of the section: the template wmflow init writes, with what the rules need', () => {
  let t: Template;
  let init: Template;
  beforeAll(async () => {
    await writeFile(join(DIR, 'template.yaml'), block('yaml'));
    t = await loadTemplate(join(DIR, 'template.yaml'));
    init = await loadTemplate(join(INIT, 'template.yaml'));
  });

  it('keeps what wmflow init wrote: the parameter, the other resources, the outputs, the function but its grants', () => {
    expect(t.Parameters).toEqual(init.Parameters);
    expect(t.Outputs).toEqual(init.Outputs);
    for (const [id, resource] of Object.entries(init.Resources as Record<string, Template>))
      if (id !== 'Handler') expect(t.Resources[id], id).toEqual(resource);
    const { Environment, Policies, ...rest } = t.Resources.Handler.Properties;
    const { Environment: initEnvironment, Policies: _, ...initRest } = init.Resources.Handler.Properties;
    expect(rest).toEqual(initRest);
    expect(Environment.Variables).toMatchObject(initEnvironment.Variables);
  });

  it('names only resources and parameters it has', () => {
    const names = new Set([
      ...Object.keys(t.Resources),
      ...Object.keys(t.Parameters),
      'AWS::Partition',
      'AWS::Region',
      'AWS::AccountId',
      'AWS::NoValue',
    ]);
    const named: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        for (const item of v) walk(item);
        return;
      }
      if (v === null || typeof v !== 'object') return;
      for (const [k, inner] of Object.entries(v)) {
        if (k === 'Ref') named.push(inner as string);
        else if (k === 'Fn::GetAtt') named.push((inner as string[])[0] as string);
        else if (k === 'Fn::Sub')
          for (const m of String([inner].flat()[0]).matchAll(/\$\{([^}.]+)[^}]*\}/g))
            named.push(m[1] as string);
        walk(inner);
      }
    };
    walk(t.Resources);
    expect(named.filter((n) => !names.has(n))).toEqual([]);
  });

  it('gives the function the buckets and one generated key for every runtime, read at deploy time', () => {
    const vars = t.Resources.Handler.Properties.Environment.Variables;
    expect(vars.UPDATES_BUCKET).toEqual({ Ref: 'UpdatesBucket' });
    expect(vars.JOURNAL_BUCKET).toEqual({ Ref: 'JournalBucket' });
    const [id] =
      /resolve:secretsmanager:\$\{(\w+)\}/.exec(vars.EXTERNAL_MARKER_KEY['Fn::Sub'])?.slice(1) ?? [];
    expect(t.Resources[id as string].Type).toBe('AWS::SecretsManager::Secret');
    expect(t.Resources[id as string].Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(
      16,
    );
  });

  it('grants what the journal and the commit use, on their own prefixes only', () => {
    const statements = t.Resources.Handler.Properties.Policies[0].Statement as Template[];
    const grant = (sid: string) => statements.find((s) => s.Sid === sid) as Template;
    expect(grant('ReadAndUpdateMessagesOfThisOrganization').Action).toEqual([
      'workmailmessageflow:GetRawMessageContent',
      'workmailmessageflow:PutRawMessageContent',
    ]);
    expect(grant('StageUpdatedMessages').Resource['Fn::Sub']).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
      '${UpdatesBucket.Arn}/wmflow-updates/*',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub syntax
    expect(grant('WriteJournal').Resource['Fn::Sub']).toBe('${JournalBucket.Arn}/journal/*');
    expect(grant('WriteJournal').Action).toEqual(['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject']);
    const policy = t.Resources.UpdatesBucketPolicy.Properties.PolicyDocument.Statement[0];
    expect(policy.Principal.Service['Fn::Sub']).toContain('workmail.');
    expect(policy.Condition.Bool['aws:SecureTransport']).toBe('true');
  });

  it('passes cfn-lint where it is installed', async () => {
    const lint = await promisify(execFile)('cfn-lint', [join(DIR, 'template.yaml')]).then(
      () => 'clean',
      (error: NodeJS.ErrnoException & { stdout?: string }) =>
        error.code === 'ENOENT' ? 'not installed' : `${error.stdout ?? ''}${error.message}`,
    );
    expect(['clean', 'not installed']).toContain(lint);
  });
});

describe('the SES stack for an existing project (docs/own-lambda.md, "An existing WorkMail project")', () => {
  it("the section's sed points the stack wmflow init --engine ses writes at the SES bundle", async () => {
    const doc = await readFile(DOC, 'utf8');
    const [, from, to] =
      /sed 's#([^#]+)#([^#]+)#' \.\.\/ses-stack\/template\.yaml > template-ses\.yaml/.exec(doc) ?? [];
    expect(from).toBeDefined();
    const ses = await readFile(join(REPO, 'packages/local/templates/init-ses/template.yaml'), 'utf8');
    expect(ses.split(from as string)).toHaveLength(2);
    await writeFile(join(DIR, 'template-ses.yaml'), ses.replace(from as string, to as string));
    const t = await loadTemplate(join(DIR, 'template-ses.yaml'));
    expect(t.Resources.Handler.Properties).toMatchObject({
      CodeUri: 'dist/handler-ses/',
      Handler: 'index.handler',
    });
  });
});

it('the READMEs a newcomer starts from link to the section by its heading', async () => {
  const doc = await readFile(DOC, 'utf8');
  const heading = /^## (Rules that edit the message, or journal it)$/m.exec(doc)?.[1] ?? '';
  const slug = heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
  for (const readme of ['README.md', 'packages/local/templates/init/README.md'])
    expect(await readFile(join(REPO, readme), 'utf8'), readme).toContain(`own-lambda.md#${slug})`);
});
