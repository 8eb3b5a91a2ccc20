import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Fault round 44 (F44-4): on SES a BOUNCE is a SendBounce made after the chain. When it fails (no bounceSender,
// SES refused it, no MessageId) the message is stopped (DROP) and the sender never told; the outcome says so in
// `bounce: { status: 'failed' }`. `wmflow replay --engine ses` read only the SendBounce calls the emulator
// recorded: it printed DROP, no error, no failure, exit 0. A failed bounce must be a problem: reported, exit 1.
const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/local/src/cli/main.ts');
const FIXTURE = 'samples/eml/05-ceo-impersonation.eml';

let dir: string;
let handlerFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-f44-4-'));
  handlerFile = join(dir, 'bouncer-ses.ts');
  // A policy that bounces every message; the bounce sender comes from the environment (none: no bounce sent).
  await writeFile(
    handlerFile,
    `import { rule, Verdicts } from ${JSON.stringify(join(ROOT, 'packages/core/src/index.ts'))};
import { sesFlow } from ${JSON.stringify(join(ROOT, 'packages/core/src/ses/index.ts'))};
export const handler = sesFlow({
  rules: [rule('bounce-all', async (ctx) => ctx.settle(Verdicts.bounce('Refused by policy.')))],
  stored: { bucket: process.env.STORED_BUCKET ?? 'wmflow-inbound', keyPrefix: process.env.STORED_KEY_PREFIX ?? 'inbound/' },
  ...(process.env.BOUNCE_SENDER ? { bounceSender: process.env.BOUNCE_SENDER } : {}),
});
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function replay(extra: string[], env: Record<string, string>): Promise<Run> {
  const args = ['--conditions=wmflow-source', '--import', 'tsx', CLI, 'replay', '--engine', 'ses'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, '--handler', handlerFile, ...extra, FIXTURE], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lineOf = (run: Run) =>
  JSON.parse(run.stdout.trim().split('\n')[0] ?? 'null') as Record<string, unknown>;

describe('F44-4: wmflow replay --engine ses, a bounce that could not be sent', () => {
  it('reports the failed bounce in the JSON line and exits 1', async () => {
    const run = await replay(['--json'], { BOUNCE_SENDER: '' });
    const line = lineOf(run);
    expect(line, run.stderr).toMatchObject({
      verdicts: { 'finance@corp.example': 'DROP' },
      disposition: 'STOP_RULE_SET',
      bounce: {
        status: 'failed',
        reason: 'no bounceSender configured',
        recipients: ['finance@corp.example'],
      },
    });
    expect(run.code).toBe(1);
  }, 60_000);

  it('shows it as a failure in the table and the totals, exit 1; --allow-failures lets it pass', async () => {
    const [table, allowed] = await Promise.all([
      replay([], { BOUNCE_SENDER: '' }),
      replay(['--json', '--allow-failures'], { BOUNCE_SENDER: '' }),
    ]);
    expect(table.stdout).toContain('! bounce error');
    expect(table.stdout).toContain('1 bounce(s) not sent');
    expect(table.code).toBe(1);
    expect(allowed.code).toBe(0);
  }, 60_000);

  it('control: a bounce sent is shown as BOUNCE, reported sent, exit 0', async () => {
    const run = await replay(['--json'], { BOUNCE_SENDER: 'postmaster@corp.example' });
    expect(lineOf(run), run.stderr).toMatchObject({
      verdicts: { 'finance@corp.example': 'BOUNCE:Refused by policy.' },
      bounce: { status: 'sent', recipients: ['finance@corp.example'] },
    });
    expect(run.code).toBe(0);
  }, 60_000);
});
