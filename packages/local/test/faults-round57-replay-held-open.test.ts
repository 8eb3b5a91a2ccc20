import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalSamples } from './backtest-helpers.js';
import { FROM_SOURCE, jsonLines, ROOT, type Run } from './replay-helpers.js';

// Fault round 57: a handler module that keeps a timer or a socket open (a setInterval at import, a keep-alive
// connection) kept `wmflow replay` running after its last line, at -j 1 (the CLI's own process) and at -j N (the
// worker, which the run waits for). A Lambda run is frozen once the handler answered: replay now ends once every
// message is done, with its normal exit code, saying on stderr that something was left open — at -j 1 as at -j N.

const NOTE = 'left a timer or socket open';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r57-held-'));
  const answer = `export const handler = async () => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n`;
  await writeFile(join(dir, 'interval.mjs'), `setInterval(() => {}, 1000);\n${answer}`);
  // A server and a keep-alive client connection to it, both left open.
  await writeFile(
    join(dir, 'socket.mjs'),
    `import { createServer, connect } from 'node:net';
const server = createServer(() => {});
server.listen(0, '127.0.0.1', () => { connect(server.address().port, '127.0.0.1').setKeepAlive(true); });
${answer}`,
  );
  await writeFile(join(dir, 'plain.mjs'), answer);
  await writeFile(
    join(dir, 'interval-throws.mjs'),
    `setInterval(() => {}, 1000);
export const handler = async (event) => {
  if (/invoice/i.test(event.subject)) throw new Error('refused the invoice');
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `wmflow <args>`; a run still going after `limitMs` is killed and resolves with code 'hung'. */
function wmflowWithin(args: string[], limitMs: number): Promise<Run | 'hung'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...FROM_SOURCE, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      hung = true;
      // The CLI and its workers are one process group.
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(hung ? 'hung' : { code, stdout, stderr });
    });
  });
}

const FILES = ['01-plain-text', '02-html-newsletter', '03-invoice-attachments'].map(
  (f) => `samples/eml/${f}.eml`,
);

describe('fault round 57: a handler module that keeps a timer or socket open', () => {
  for (const module of ['interval', 'socket'])
    it(`${module}: replay ends after its last line with exit 0 and says so, at -j 1 as at -j 2`, async () => {
      const args = ['replay', ...FILES, '--handler', join(dir, `${module}.mjs`), '--json'];
      const [one, two] = await Promise.all([
        wmflowWithin([...args, '-j', '1'], 40_000),
        wmflowWithin([...args, '-j', '2'], 40_000),
      ]);
      expect(one).not.toBe('hung');
      expect(two).not.toBe('hung');
      if (one === 'hung' || two === 'hung') return;
      expect(one.code).toBe(0);
      expect(two.code).toBe(0);
      const lines = (r: Run) => jsonLines(r.stdout).map((l) => [l.file, l.verdicts, l.error]);
      expect(lines(one).map(([file]) => file)).toEqual(FILES);
      expect(lines(two)).toEqual(lines(one));
      expect(one.stderr).toContain(NOTE);
      expect(two.stderr).toContain(NOTE);
    }, 60_000);

  it('a failing run held open keeps its exit code (1), in table mode too, the same at -j 1 and -j 2', async () => {
    const args = ['replay', ...FILES, '--handler', join(dir, 'interval-throws.mjs')];
    const [one, two] = await Promise.all([
      wmflowWithin([...args, '-j', '1'], 40_000),
      wmflowWithin([...args, '-j', '2'], 40_000),
    ]);
    expect(one).not.toBe('hung');
    expect(two).not.toBe('hung');
    if (one === 'hung' || two === 'hung') return;
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(two.stdout.replace(/\d+ ms|\d+(\.\d+)? s\b/g, 'T')).toBe(
      one.stdout.replace(/\d+ ms|\d+(\.\d+)? s\b/g, 'T'),
    );
    expect(one.stderr).toContain(NOTE);
    expect(two.stderr).toContain(NOTE);
  }, 60_000);

  it('control: a handler that leaves nothing open ends without the note', async () => {
    const args = ['replay', ...FILES, '--handler', join(dir, 'plain.mjs'), '--json'];
    const [one, two] = await Promise.all([
      wmflowWithin([...args, '-j', '1'], 40_000),
      wmflowWithin([...args, '-j', '2'], 40_000),
    ]);
    if (one === 'hung' || two === 'hung') throw new Error('a plain handler hung');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(one.stderr).not.toContain(NOTE);
    expect(two.stderr).not.toContain(NOTE);
  }, 60_000);

  it('backtest (workers at every -j) ends too, with its summary and exit 0, and says so', async () => {
    const { journal } = await journalSamples(join(dir, 'journaled'));
    for (const jobs of ['1', '2']) {
      const run = await wmflowWithin(
        ['backtest', journal, '--handler', join(dir, 'interval.mjs'), '-j', jobs],
        60_000,
      );
      expect(run).not.toBe('hung');
      if (run === 'hung') return;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('"type":"summary"');
      expect(run.stderr).toContain(NOTE);
    }
  }, 150_000);
});
