import { readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdits } from './apply-edits.js';
import { type Edit, EditQueue } from './edits.js';

// Fault round 62 (F62-1): a retry after an update WorkMail applied (its answer lost) reads the edited message; the
// header fields an edit adds are not added again when they are already the topmost fields of their name.
const files: string[] = [];
afterEach(async () => {
  await Promise.all(files.splice(0).map((f) => rm(f, { force: true })));
});

async function edit(message: string, build: (q: EditQueue) => void) {
  const queue = new EditQueue();
  build(queue);
  const result = await applyEdits(Readable.from([Buffer.from(message)]), queue.edits as Edit[]);
  files.push(result.path);
  const bytes = (await readFile(result.path)).toString('latin1');
  return { ...result, head: bytes.slice(0, bytes.indexOf('\r\n\r\n')) };
}

const MAIL =
  'From: a@x.example\r\nTo: b@corp.example\r\nSubject: hi\r\nDate: Sun, 6 Dec 2026 10:00:00 +0000\r\n\r\nbody\r\n';
const fields = (head: string, name: string) =>
  head.split('\r\n').filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));

describe('F62-1: header fields added by an update that already landed', () => {
  it('two adds of one name, then the same edits over their result: nothing added twice', async () => {
    const build = (q: EditQueue) => {
      q.addHeader('X-Tag', 'one');
      q.addHeader('X-Tag', 'two');
      q.addHeader('X-Other', 'Grüße aus dem Süden und noch viel mehr Text über Länder');
      q.addHeader('X-Long', 'word '.repeat(30).trim());
    };
    const first = await edit(MAIL, build);
    expect(fields(first.head, 'X-Tag')).toEqual(['X-Tag: two', 'X-Tag: one']);
    const again = await edit(`${first.head}\r\n\r\nbody\r\n`, build);
    expect(again.changes).toEqual([]);
    expect(again.head).toBe(first.head);
  });

  it('held: the value only lower down, under another one the sender wrote on top, is still added on top', async () => {
    const forged = `X-Verdict: clean\r\n${MAIL.replace('\r\n\r\n', '\r\nX-Verdict: spam\r\n\r\n')}`;
    const out = await edit(forged, (q) => q.addHeader('X-Verdict', 'spam'));
    expect(fields(out.head, 'X-Verdict')).toEqual(['X-Verdict: spam', 'X-Verdict: clean', 'X-Verdict: spam']);
  });

  it('held: a name another edit sets keeps the edits in order (added again after the set)', async () => {
    const out = await edit(`X-Tag: one\r\n${MAIL}`, (q) => {
      q.setHeader('X-Tag', 'zero');
      q.addHeader('X-Tag', 'one');
    });
    expect(fields(out.head, 'X-Tag')).toEqual(['X-Tag: one', 'X-Tag: zero']);
  });
});
