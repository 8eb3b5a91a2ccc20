import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, saidWithoutTimings as said, wmflow } from './replay-helpers.js';

// Fault round 95: a handler whose logger writes to file descriptor 1 itself (pino's default destination is
// `process.stdout.fd`; `fs.writeSync(1, …)`), bypassing `process.stdout.write`. At `-j 2` those bytes land in the
// worker's descriptor 1 (stderr with --logs, else nowhere); at `-j 1` they landed among the JSON lines, glued to the
// next one. Asked: `-j 1` writes the same stdout as `-j 2`: every line JSON, none of the handler's bytes.
let dir: string;
const SAMPLES = ['01-plain-text.eml', '02-html-newsletter.eml', '03-invoice-attachments.eml'];
const DEFAULT = `return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };`;

const HANDLERS: Record<string, string> = {
  // What pino's default destination does (SonicBoom on process.stdout.fd), and a bare write to 1 cut mid-line.
  'fd1.mjs': `import { writeSync, write } from 'node:fs';
export const handler = async (event) => {
  writeSync(process.stdout.fd, '{"level":30,"msg":"pino-like FD1-LOG"}\\n');
  writeSync(1, 'FD1-PARTIAL no newline');
  await new Promise((resolve) => write(1, 'FD1-ASYNC\\n', resolve));
  ${DEFAULT}
};
`,
  // At import too: a logger set up when the module loads.
  'fd1-import.mjs': `import { writeSync } from 'node:fs';
writeSync(1, 'FD1-IMPORT at load\\n');
export const handler = async () => { ${DEFAULT} };
`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r95-fd1-'));
  await mkdir(join(dir, 'eml'));
  for (const [i, name] of SAMPLES.entries())
    await copyFile(join(ROOT, 'samples/eml', name), join(dir, 'eml', `${i}0-${name}`));
  for (const [name, text] of Object.entries(HANDLERS)) await writeFile(join(dir, name), text);
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fault round 95: a handler writing to descriptor 1 itself', () => {
  for (const handler of Object.keys(HANDLERS)) {
    it(`${handler}: -j 1 writes only JSON lines, the same as -j 2`, async () => {
      const args = ['replay', join(dir, 'eml'), '--handler', join(dir, handler), '--json'];
      const one = await wmflow([...args, '-j', '1']);
      const two = await wmflow([...args, '-j', '2']);
      expect(one.stdout).not.toContain('FD1-');
      for (const line of said(one).lines) expect(typeof line, String(line)).toBe('object');
      expect(said(one).lines).toHaveLength(SAMPLES.length);
      expect(said(one)).toEqual(said(two));
      expect(one.code).toBe(0);
    }, 90_000);
  }

  it('with --logs its bytes go to stderr at -j 1, as at -j 2; the table stays clean too', async () => {
    const args = ['replay', join(dir, 'eml'), '--handler', join(dir, 'fd1.mjs')];
    const one = await wmflow([...args, '--json', '--logs', '-j', '1']);
    const two = await wmflow([...args, '--json', '--logs', '-j', '2']);
    expect(one.stdout).not.toContain('FD1-');
    expect(one.stderr).toContain('FD1-LOG');
    expect(two.stderr).toContain('FD1-LOG');
    expect(said(one)).toEqual(said(two));
    const table = await wmflow([...args, '-j', '1']);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain('FD1-');
    expect(table.stdout).toContain('3 message(s)');
  }, 120_000);
});
