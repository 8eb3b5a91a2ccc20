import { ConfigError } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { dropMessage } from '../verdicts/index.js';
import { copyTo } from './index.js';

describe('rule: copyTo', () => {
  it('adds organization mailboxes as Bcc recipients of inbound mail', async () => {
    const { read, response } = await runFlow([copyTo({ addresses: ['legal@corp.example'] })]);
    expect(read?.verdicts.get('legal@corp.example')?.type).toBe('DEFAULT');
    expect(response?.actions).toContainEqual({
      action: { type: 'DEFAULT' },
      recipients: ['legal@corp.example'],
    });
  });

  it('does not copy once every recipient is settled unless asked to', async () => {
    const skipped = await runFlow([dropMessage(), copyTo({ addresses: ['legal@corp.example'] })]);
    expect(skipped.read?.verdicts.has('legal@corp.example')).toBe(false);
    const kept = await runFlow([
      dropMessage(),
      copyTo({ addresses: 'legal@corp.example', evenWhenSettled: true }),
    ]);
    expect(kept.read?.verdicts.get('legal@corp.example')?.type).toBe('DEFAULT');
  });

  it('copies outbound mail anywhere, but inbound only inside the organization', async () => {
    const out = await runFlow([copyTo({ addresses: ['audit@external.example'] })], { direction: 'OUTBOUND' });
    expect(out.read?.verdicts.get('audit@external.example')?.type).toBe('DEFAULT');
    const refused = await runFlow([copyTo({ addresses: ['spy@evil.example'] })]);
    expect(refused.read?.verdicts.has('spy@evil.example')).toBe(false);
    expect(refused.outcome.failures).toEqual([expect.objectContaining({ rule: 'copy-to' })]);
  });

  it('refuses bad addresses at construction', () => {
    expect(() => copyTo({ addresses: ['no-at-sign'] })).toThrow(ConfigError);
    expect(() => copyTo({ addresses: ['a@b.example\r\nBcc: x@y.example'] })).toThrow(/addresses/);
    expect(() => copyTo({ addresses: [] })).toThrow(/configuration addresses/);
  });
});
