import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateOf, VirtualClock } from '../src/replay/virtual-clock.js';
import { jsonLines, wmflow } from './replay-helpers.js';

const GROUP = 'all-staff@corp.example';
const START = Date.parse('2026-11-25T10:00:00Z');

/** One message of the generated traffic. */
function message(i: number, at: number, to: string, cc = ''): string {
  return [
    `From: User ${i % 40} <user${i % 40}@corp.example>`,
    `To: ${to}`,
    ...(cc ? [`Cc: ${cc}`] : []),
    `Subject: RE: Who is this list for? (${i})`,
    `Date: ${new Date(at).toUTCString()}`,
    `Message-ID: <storm-${i}@corp.example>`,
    '',
    'Please remove me from this list.',
    '',
  ].join('\r\n');
}

/** `wmflow replay` of the prebuilt guard with a protected group, as JSON lines. */
function replayGuard(folder: string, env: string[], clock: string[]) {
  const settings = ['UPDATES_BUCKET=updates', `STORM_GROUPS=${GROUP}`, ...env].flatMap((e) => ['--env', e]);
  const args = ['--function', 'guard', '--direction', 'INBOUND', '--org-domain', 'corp.example', '--json'];
  return wmflow(['replay', folder, ...args, ...settings, ...clock]);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-storm-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('wmflow replay with rate rules and a virtual clock', () => {
  it('bounces a 500-message reply-all storm past the threshold and lets normal traffic through', async () => {
    const folder = join(dir, 'storm');
    await mkdir(folder);
    let n = 0;
    const write = (at: number, to: string, cc = '') =>
      writeFile(join(folder, `${String(n).padStart(4, '0')}.eml`), message(n++, at, to, cc));
    // 500 replies to the group within a minute, some with a colleague in Cc; 50 ordinary messages among them.
    for (let i = 0; i < 500; i++) {
      const at = START + i * 110;
      await write(at, GROUP, i % 10 === 0 ? 'alice@corp.example' : '');
      if (i % 10 === 5) await write(at, 'bob@corp.example');
    }
    // A quarter of an hour later the storm is over: mail to the group flows again.
    await write(START + 15 * 60_000, GROUP);
    const { code, stdout, stderr } = await replayGuard(folder, ['STORM_THRESHOLD=50'], ['--dates']);
    expect(code, stderr).toBe(0);
    const rows = jsonLines(stdout) as { verdicts: Record<string, string>; rulesFired: string[] }[];
    expect(rows).toHaveLength(551);
    const group = rows.slice(0, -1).flatMap((r) => (r.verdicts[GROUP] ? [r.verdicts[GROUP]] : []));
    const delivered = group.filter((v) => v === 'DEFAULT').length;
    const bounced = group.filter((v) => v.startsWith('BOUNCE')).length;
    process.stderr.write(
      `storm replay: ${group.length} to the group, ${delivered} delivered, ${bounced} bounced\n`,
    );
    expect([group.length, delivered, bounced]).toEqual([500, 50, 450]);
    const others = rows.flatMap((r) =>
      Object.entries(r.verdicts)
        .filter(([to]) => to !== GROUP)
        .map(([, v]) => v),
    );
    expect(others).toHaveLength(100);
    expect(others.every((v) => v === 'DEFAULT')).toBe(true);
    expect(rows.at(-1)?.verdicts[GROUP]).toBe('DEFAULT');
  }, 600_000);

  it('replays a folder as a burst with --rate, or spread out, with different outcomes', async () => {
    const folder = join(dir, 'rate');
    await mkdir(folder);
    for (let i = 0; i < 12; i++)
      await writeFile(join(folder, `${String(i).padStart(2, '0')}.eml`), message(i, START, GROUP));
    const run = async (rate: string) => {
      const clock = ['--rate', rate, '--start', '2026-11-25T10:00:00Z'];
      const { code, stdout, stderr } = await replayGuard(folder, ['STORM_THRESHOLD=5'], clock);
      expect(code, stderr).toBe(0);
      return jsonLines(stdout).filter((r) => (r.verdicts as Record<string, string>)[GROUP] === 'DEFAULT')
        .length;
    };
    expect(await run('100')).toBe(5); // 12 messages in 0.12 s
    expect(await run('0.05')).toBe(12); // one every 20 s: at most 3 a minute
  }, 600_000);
  it('refuses a --start that is no time, naming the option', async () => {
    const folder = join(dir, 'bad-start');
    await mkdir(folder);
    await writeFile(join(folder, 'a.eml'), message(0, START, GROUP));
    const { code, stderr } = await replayGuard(folder, [], ['--rate', '1', '--start', 'garbage +0000']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--start: a date and time/);
  }, 120_000);
});

describe('VirtualClock', () => {
  it('steps at a rate from a start, or follows Date: headers (keeping the last good one)', () => {
    const steady = new VirtualClock({ rate: 4, start: START });
    for (let i = 0; i < 3; i++) steady.next(Buffer.from(''));
    expect(steady.now()).toBe(START + 500);
    const dated = new VirtualClock({ fromDates: true, start: START });
    dated.next(Buffer.from(message(1, START + 90_000, GROUP)));
    expect(dated.now()).toBe(START + 90_000);
    dated.next(Buffer.from('Subject: no date\r\n\r\nbody'));
    expect(dated.now()).toBe(START + 90_000);
    expect(dateOf(Buffer.from('Date: Wed, 25 Nov 2026\r\n 10:00:00 +0000\r\n\r\n'))).toBe(START);
    // No zone reads as UTC on any machine; text that is no date keeps the last good time, not a year-2000 guess.
    const tz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(dateOf(Buffer.from('Date: Wed, 25 Nov 2026 10:00:00\r\n\r\n'))).toBe(START);
      dated.next(Buffer.from('Date: garbage +0000\r\n\r\nbody'));
      expect(dated.now()).toBe(START + 90_000);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(() => new VirtualClock({ rate: 0 })).toThrow(/--rate/);
    expect(() => new VirtualClock({})).toThrow(/--rate or --dates/);
  });

  it('is what rate rules read while installed', async () => {
    const { rateNow } = await import('@wmflow/rules');
    const clock = new VirtualClock({ rate: 1, start: START });
    const uninstall = clock.install();
    try {
      expect(rateNow()).toBe(START);
    } finally {
      uninstall();
    }
    expect(Math.abs(rateNow() - Date.now())).toBeLessThan(60_000);
  });
});
