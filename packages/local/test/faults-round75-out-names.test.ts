import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Fault round 75 (identity collisions): two things `wmflow replay --out DIR` writes that end up under one name, the
// second file replacing the first (a rename over it) with nothing said. Rewrites were named after their message
// file, kept apart only where the names differed byte for byte: `one/Note.eml` and `two/note.eml` became `Note.eml`
// and `note.eml`, one file on a case-insensitive file system (macOS, Windows). Journal copies went to
// `DIR/s3/<bucket>/<key>`, so two objects whose keys differ only in case (S3 keys are case-sensitive) were one file
// there too. Every name is now taken once per run, ignoring case: a second rewrite gets `-2` as two files of one name
// did, a second object a `~2` after its key; each file holds its own bytes. (The local S3 refuses keys with empty, `.`
// or `..` segments since round 51, so the `_` those map to cannot meet a second key.) The tests run on Linux, so
// they check that the names differ ignoring case, and that each file holds its own message or object.
const ENV = ['--env-file', 'samples/expect/env.json'];
const NEWSLETTER = join(ROOT, 'samples/eml/02-html-newsletter.eml');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r75-out-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

describe('F75-1: rewrites of two messages whose file names differ only in case', () => {
  it('are written under names that differ ignoring case, each with its own bytes', async () => {
    const inputs = join(dir, 'in-case');
    await mkdir(join(inputs, 'one'), { recursive: true });
    await mkdir(join(inputs, 'two'), { recursive: true });
    await copyFile(NEWSLETTER, join(inputs, 'one', 'Note.eml'));
    // The second message differs (its subject), so its rewrite is another file's bytes.
    const other = (await readFile(NEWSLETTER, 'utf8')).replace(
      'Subject: Your November digest',
      'Subject: Your December digest',
    );
    await writeFile(join(inputs, 'two', 'note.eml'), other);
    const out = join(dir, 'out-case');
    const r = await wmflow([
      'replay',
      join(inputs, 'one', 'Note.eml'),
      join(inputs, 'two', 'note.eml'),
      '--function',
      'guard',
      ...ENV,
      '--out',
      out,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rewritten = jsonLines(r.stdout)
      .filter((l) => l.file !== undefined)
      .map((l) => l.rewritten as string);
    expect(rewritten).toHaveLength(2);
    expect(rewritten.every((p) => typeof p === 'string' && p.startsWith(out))).toBe(true);
    expect(new Set(rewritten.map((p) => p.toLowerCase())).size).toBe(2);
    const subjects = await Promise.all(
      rewritten.map(async (p) => /^Subject: (.*)$/m.exec(await readFile(p, 'utf8'))?.[1]),
    );
    expect(subjects).toEqual(['[EXTERNAL] Your November digest', '[EXTERNAL] Your December digest']);
    // And every file of the folder, the diffs too, has a name of its own ignoring case.
    const names = await filesUnder(out);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });
});

describe('F75-2: journal copies of objects whose keys map to one path', () => {
  it.each([
    ['in the last segment', ['copies/Note', 'copies/note']],
    ['in every segment', ['Copies/X', 'copies/x']],
    ['with their metadata', ['Copies/Y', 'Copies/Y.json', 'copies/y', 'copies/y.json']],
  ])(
    'keys that differ only in case %s: each object copied, its own bytes in its own file',
    async (_where, keys) => {
      const handler = join(dir, `writer-${keys.join('').replace(/[^A-Za-z]/g, '')}.mjs`);
      // A custom handler that keeps objects whose keys map to one path under DIR/s3, ignoring case.
      await writeFile(
        handler,
        `import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(join(ROOT, 'packages/core/package.json'))});
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({ forcePathStyle: true });
const keys = ${JSON.stringify(keys)};
export const handler = async (event) => {
  for (const [i, key] of keys.entries())
    await s3.send(new PutObjectCommand({ Bucket: 'wmflow-journal', Key: key, Body: 'object ' + i + ' at ' + key }));
  return { actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] };
};
`,
      );
      const out = join(dir, `out-${keys.join('').replace(/[^A-Za-z]/g, '')}`);
      const r = await wmflow([
        'replay',
        NEWSLETTER,
        '--handler',
        `${handler}#handler`,
        '--env',
        'ORGANIZATION_DOMAINS=corp.example',
        '--bucket',
        'wmflow-journal',
        '--out',
        out,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const journaled = jsonLines(r.stdout).find((l) => l.file !== undefined)?.journaled as string[];
      expect([...journaled].sort()).toEqual(keys.map((k) => `s3://wmflow-journal/${k}`).sort());
      const files = await filesUnder(join(out, 's3', 'wmflow-journal'));
      expect(files).toHaveLength(keys.length);
      expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(keys.length);
      // A copy and its metadata stay `<path>` and `<path>.json`, as `wmflow backtest DIR/s3/…` pairs them.
      if (keys.some((k) => k.endsWith('.json')))
        for (const f of files.filter((f) => !f.endsWith('.json'))) expect(files).toContain(`${f}.json`);
      const bodies = await Promise.all(
        files.map((f) => readFile(join(out, 's3', 'wmflow-journal', f), 'utf8')),
      );
      expect(bodies.sort()).toEqual(keys.map((k, i) => `object ${i} at ${k}`).sort());
    },
  );
});
