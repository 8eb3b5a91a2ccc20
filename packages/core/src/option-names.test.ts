import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { checkOptionNames } from './option-names.js';
import { sesFlow } from './ses/ses-flow.js';
import { flow } from './workmail/flow-handler.js';

// Options built at run time escape the type-checker's excess-property check.
function runtime<T>(options: object): T {
  return options as T;
}

describe('checkOptionNames', () => {
  it('refuses a flow option spelt the British way, which left every sender outside the organization', () => {
    const options = runtime<Parameters<typeof flow>[0]>({ rules: [], organisationDomains: ['corp.example'] });
    expect(() => flow(options)).toThrow(ConfigError);
    expect(() => flow(options)).toThrow(
      'flow() has no option "organisationDomains" (did you mean organizationDomains?)',
    );
  });

  it('refuses a misspelt sesFlow option', () => {
    const options = runtime<Parameters<typeof sesFlow>[0]>({
      rules: [],
      bounceSendr: 'postmaster@corp.example',
    });
    expect(() => sesFlow(options)).toThrow('(did you mean bounceSender?)');
  });

  it('names the field, takes known names, a transposition and no options at all', () => {
    const names = { minutes: true, name: true } as const;
    expect(() => checkOptionNames('holdFor', runtime<{ minutes: number }>({ mniutes: 5 }), names)).toThrow(
      'invalid configuration holdFor.mniutes: holdFor() has no option "mniutes" (did you mean minutes?)',
    );
    expect(() => checkOptionNames('holdFor', { minutes: 5, name: 'hold' }, names)).not.toThrow();
    expect(() => checkOptionNames('holdFor', undefined, names)).not.toThrow();
    expect(() => checkOptionNames('holdFor', runtime<{ minutes: number }>(['a.example']), names)).toThrow(
      'holdFor() takes an object of options, not a list',
    );
  });
});
