import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { blockSenders } from './index.js';

// Round 75: a deny list naming a mailbox names its sub-addresses and folded spellings; its exceptions do not widen.
describe('attacker round 75: blockSenders', () => {
  const rule = blockSenders({
    senders: ['spam@partner.example', 'evil.example'],
    except: ['ok@evil.example'],
  });
  it.each(['spam+x@partner.example', 'SPAM+x@Partner.Example', '\u017Fpam@partner.example'])(
    'blocks %s',
    async (mailFrom) => {
      const { verdict } = await runFlow([rule], { mailFrom, recipients: ['bob@corp.example'] });
      expect(verdict('bob@corp.example')).toMatch(/^BOUNCE:/);
    },
  );
  it.each(['ham@partner.example', 'ok@evil.example'])('benign: %s passes', async (mailFrom) => {
    const { verdict } = await runFlow([rule], { mailFrom, recipients: ['bob@corp.example'] });
    expect(verdict('bob@corp.example')).toBe('DEFAULT');
  });
  it('an exception does not widen to a sub-address', async () => {
    const { verdict } = await runFlow([rule], {
      mailFrom: 'ok+x@evil.example',
      recipients: ['bob@corp.example'],
    });
    expect(verdict('bob@corp.example')).toMatch(/^BOUNCE:/);
  });
  it.each(['x@evilpartner.example', 'x@partner.example.evil2.example'])(
    'held: a look-alike of a listed domain is not it: %s',
    async (mailFrom) => {
      const allowRule = blockSenders({ senders: ['*'], except: ['*.partner.example'] });
      const { verdict } = await runFlow([allowRule], { mailFrom, recipients: ['bob@corp.example'] });
      expect(verdict('bob@corp.example')).toMatch(/^BOUNCE:/);
    },
  );
});
