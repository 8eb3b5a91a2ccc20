import { ConfigError } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { blockAttachments } from '../attachments/index.js';
import { subjectContains } from '../content/index.js';
import { journalToS3 } from '../journal/index.js';
import { blockSenders } from '../lists/index.js';
import { tagExternal } from '../rewrites/index.js';
import { dropMessage } from '../verdicts/index.js';

// Options built at run time (read from a file, spread from settings, written in JavaScript) escape the
// type-checker's excess-property check: a misspelt option would leave its default in force, silently.
function runtime<T>(options: object): T {
  return options as T;
}

describe('rule options: a name the rule does not know is refused', () => {
  it('refuses a misspelt verdict, naming the option it meant, so the default (BOUNCE) is not used in its place', () => {
    const options = runtime<Parameters<typeof blockSenders>[0]>({
      senders: ['spam.example'],
      verdcit: 'DROP',
    });
    expect(() => blockSenders(options)).toThrow(ConfigError);
    expect(() => blockSenders(options)).toThrow(
      'blockSenders() has no option "verdcit" (did you mean verdict?)',
    );
  });

  it('names the option for a case slip and for a name too far from any', () => {
    expect(() => tagExternal(runtime({ subjectTag: '[EXT]', Banner: 'x' }))).toThrow(
      '(did you mean banner?)',
    );
    const far = () => subjectContains(runtime({ words: ['invoice'], phraseList: ['x'] }));
    expect(far).toThrow('subjectContains() has no option "phraseList"');
    expect(far).not.toThrow('did you mean');
  });

  it('refuses it on rules whose options are all optional, and on the journal', () => {
    expect(() => dropMessage(runtime({ recipient: ['*.corp.example'] }))).toThrow(
      '(did you mean recipients?)',
    );
    expect(() => blockAttachments(runtime({ blockedExtension: ['exe'] }))).toThrow(
      '(did you mean blockedExtensions?)',
    );
    expect(() => journalToS3(runtime({ bucket: 'journal', keyTemplte: 'x/{messageId}' }))).toThrow(
      '(did you mean keyTemplate?)',
    );
  });

  it('takes every option the rule has', () => {
    expect(blockSenders({ senders: ['spam.example'], name: 'block', except: ['ok@spam.example'] }).name).toBe(
      'block',
    );
    expect(dropMessage({ name: 'drop-some', recipients: ['*.corp.example'] }).name).toBe('drop-some');
    expect(blockAttachments().name).toBeTypeOf('string');
  });
});
