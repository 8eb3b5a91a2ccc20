import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFlowEvent } from '@wmflow/core/testing';
import { SAM_LOCAL_VARIABLES } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, type Template } from './cfn.js';
import { bigMessage, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 82 (F82-2): the lead rounds 79 and 81 left open. The guard's outside-mail banner carries a seal keyed by
// EXTERNAL_MARKER_KEY, which alone tells a retry that the banner is already there; template.yaml set no key, so the key
// was random per runtime. Lambda ends the runtime of an invocation past its timeout (or out of memory) and WorkMail's
// retry always runs in another runtime, or another execution environment: a guard killed after its
// PutRawMessageContent reached WorkMail got a second banner from its retry, on every such kill, for every deployment
// that followed docs/deploy.md's defaults. Each runtime here is a process of its own (`faults-round79-child.ts`),
// configured with the environment template.yaml gives GuardFunction under its default parameters, and a dynamic
// reference resolved once per deployment, as CloudFormation does.
const t = proxiedStack([UPDATES]);
const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'faults-round79-child.ts');
let dir = '';
let template: Template;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wmflow-r82-marker-'));
  template = await loadTemplate(join(ROOT, 'template.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * GuardFunction's environment as one deployment of template.yaml resolves it: default parameters, the organization's
 * domain and the updates bucket named; each `{{resolve:secretsmanager:<secret>…}}` resolved to the value that
 * deployment's secret holds (generated once, the same for every runtime). The endpoints come from the test's process.
 */
function deployedGuardEnv(secrets: Map<string, string>): Record<string, string> {
  const names: Record<string, string> = { OrganizationDomains: 'corp.example', UpdatesBucket: UPDATES };
  const param = (name: string): string =>
    names[name] ?? (name in template.Parameters ? String(template.Parameters[name].Default ?? '') : name);
  const secret = (text: string) =>
    text.replace(/\{\{resolve:secretsmanager:([^:}]+)[^}]*\}\}/g, (_m, id: string) => {
      const resource = template.Resources[id];
      expect(resource?.Type, id).toBe('AWS::SecretsManager::Secret');
      const spec = resource.Properties.GenerateSecretString;
      if (!secrets.has(id)) {
        const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
        const bytes = randomBytes(Number(spec.PasswordLength ?? 32));
        secrets.set(id, [...bytes].map((b) => alphabet[b % alphabet.length]).join(''));
      }
      return secrets.get(id) as string;
    });
  const resolve = (v: Template): string => {
    if (typeof v !== 'object') return secret(String(v));
    if (v.Ref) return param(v.Ref);
    if (v['Fn::If']) return resolve(v['Fn::If'][2]); // RATE_TABLE: no rate table under the defaults
    if (v['Fn::Sub'])
      return secret(String(v['Fn::Sub']).replace(/\$\{([^}]+)\}/g, (_m: string, n: string) => n));
    throw new Error(`cannot resolve ${JSON.stringify(v)}`);
  };
  const variables = {
    ...template.Globals.Function.Environment.Variables,
    ...template.Resources.GuardFunction.Properties.Environment.Variables,
  };
  const skip = new Set<string>([...SAM_LOCAL_VARIABLES, 'NODE_OPTIONS']);
  return Object.fromEntries(
    Object.entries(variables)
      .filter(([k]) => !skip.has(k))
      .map(([k, v]) => [k, resolve(v as Template)]),
  );
}

function runtime(event: unknown, settings: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=wmflow-source',
      '--import',
      'tsx',
      CHILD,
      'guard',
      JSON.stringify(settings),
      JSON.stringify(event),
    ],
    { cwd: ROOT, env: { ...process.env, TMPDIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const result = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve(`${out.trim().split('\n').at(-1)} (exit ${code ?? signal}) ${err.slice(0, 2000)}`),
    ),
  );
  return { child, result };
}

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const count = (text: string, what: RegExp) => text.match(what)?.length ?? 0;
const BANNER = /came from outside the organization/g;

/** A guard runtime killed once its PutRawMessageContent went out (WorkMail applies it after the kill). */
async function killedAfterUpdate(id: string, event: unknown, settings: Record<string, string>) {
  let sent!: () => void;
  const putSent = new Promise<void>((resolve) => {
    sent = resolve;
  });
  let killed!: () => void;
  const afterKill = new Promise<void>((resolve) => {
    killed = resolve;
  });
  t.flowp.decide = (req) => {
    if (!isPutRaw(req)) return { do: 'forward' };
    sent();
    return { do: 'after', until: afterKill };
  };
  const run = runtime(event, settings);
  await Promise.race([putSent, run.result.then((r) => Promise.reject(new Error(`ended: ${r}`)))]);
  run.child.kill('SIGKILL');
  const facts = [`killed: ${await run.result}`];
  killed();
  for (let i = 0; i < 400 && t.stack.flow.history(id).length < 2; i++)
    await new Promise((r) => setTimeout(r, 25));
  t.flowp.decide = () => ({ do: 'forward' });
  return facts;
}

describe('fault round 82: the outside-mail seal across runtimes of one deployment', () => {
  it('F82-2: a guard deployed from template.yaml, killed after its update reached WorkMail: the retry in another runtime adds no second banner', async () => {
    const id = t.stack.flow.load(bigMessage(200_000, 'r82-marker'));
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const env = deployedGuardEnv(new Map());
    const facts = await killedAfterUpdate(id, event, env);
    expect(t.stack.flow.history(id).length, facts.join('; ')).toBe(2);
    const applied = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(count(applied, BANNER), facts.join('; ')).toBe(1);
    const answer = await runtime(event, env).result;
    facts.push(`retry: ${answer}`);
    expect(answer, facts.join('; ')).toMatch(/"type":"DEFAULT"/);
    const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(count(held, BANNER), facts.join('; ')).toBe(1);
    expect(count(held, /^Subject:.*$/gm), facts.join('; ')).toBe(1);
    expect(held.match(/^Subject:.*$/m)?.[0], facts.join('; ')).toBe(applied.match(/^Subject:.*$/m)?.[0]);
  }, 90_000);

  it('held: another deployment (its own generated key) tags a message sealed by the first one: the seal is not taken as its own', async () => {
    const id = t.stack.flow.load(bigMessage(200_000, 'r82-marker-other'));
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const facts = await killedAfterUpdate(id, event, deployedGuardEnv(new Map()));
    const applied = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(count(applied, BANNER), facts.join('; ')).toBe(1);
    // The same event reaching a guard of another deployment (another secret): a seal it cannot verify is no seal.
    const answer = await runtime(event, deployedGuardEnv(new Map())).result;
    facts.push(`other deployment: ${answer}`);
    const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(count(held, BANNER), facts.join('; ')).toBe(2);
  }, 90_000);

  it('held: the template generates the key as a secret of its own, long and without punctuation', () => {
    const value = template.Resources.GuardFunction.Properties.Environment.Variables.EXTERNAL_MARKER_KEY;
    const text = String(value?.['Fn::Sub'] ?? value ?? '');
    const id = /\{\{resolve:secretsmanager:\$\{([^}]+)\}/.exec(text)?.[1] ?? '';
    const spec = template.Resources[id]?.Properties?.GenerateSecretString;
    expect(template.Resources[id]?.Type, text).toBe('AWS::SecretsManager::Secret');
    expect(Number(spec?.PasswordLength)).toBeGreaterThanOrEqual(32);
    expect(spec?.ExcludePunctuation).toBe(true);
  });
});
