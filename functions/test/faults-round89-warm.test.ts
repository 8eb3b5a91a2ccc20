/**
 * Fault round 89: one warm process (Lambda reusing its container) running the guard over a sequence of invocations
 * in which some reads fail: cut (chunked, ended early), reset mid-answer, held until the deadline. Asked: every
 * invocation after a failed one decides as a clean run does (nothing cached, pending or spooled from the one before
 * leaks into it), and nothing is left in /tmp.
 */
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { bigMessage, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import type { Act } from './scripted-proxy.js';
import { proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const spoolFiles = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('wmflow-spool-'));

describe('a warm container after failed reads', () => {
  it('each later invocation decides as a clean one', async () => {
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES });
    const before = await spoolFiles();
    // [the message, the fault on its first read, the answer a clean run gives]; 3 MB messages spill past memory.
    const steps: [Buffer, Act | undefined, string][] = [
      [withExe(3_000_000, 'r89-warm-1'), { do: 'forward-chunked-cut', keep: 2_600_000 }, 'BOUNCE'],
      [bigMessage(3_000_000, 'r89-warm-2'), undefined, 'DEFAULT'],
      [withExe(3_000_000, 'r89-warm-3'), { do: 'forward-close-delimited', keep: 2_900_000 }, 'BOUNCE'],
      [withExe(3_000_000, 'r89-warm-4'), undefined, 'BOUNCE'],
      [bigMessage(3_000_000, 'r89-warm-5'), { do: 'hang' }, 'DEFAULT'],
      [withExe(3_000_000, 'r89-warm-6'), undefined, 'BOUNCE'],
      [bigMessage(3_000_000, 'r89-warm-7'), { do: 'forward-chunked-cut', keep: 40_000 }, 'DEFAULT'],
      [bigMessage(3_000_000, 'r89-warm-8'), undefined, 'DEFAULT'],
    ];
    for (const [i, [bytes, fault, clean]] of steps.entries()) {
      const id = t.stack.flow.load(bytes);
      const event = makeFlowEvent({
        messageId: id,
        mailFrom: 'ann@partner.example',
        recipients: ['bob@corp.example'],
      });
      let faults = fault ? 1 : 0;
      t.flowp.decide = (req) => (req.method === 'GET' && faults-- > 0 ? (fault as Act) : { do: 'forward' });
      const first = await invoke(handler, event, fault?.do === 'hang' ? 4_000 : 60_000);
      // A failed read never lets the executable through.
      if (clean === 'BOUNCE' && !first.error)
        expect(firstAction(first.response), `step ${i}`).not.toBe('DEFAULT');
      t.flowp.decide = () => ({ do: 'forward' });
      const retry = await invoke(handler, event);
      expect(retry.error, `step ${i}`).toBeUndefined();
      expect(firstAction(retry.response), `step ${i}`).toBe(clean);
    }
    expect(await spoolFiles()).toEqual(before);
  }, 120_000);
});
