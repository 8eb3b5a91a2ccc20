import { describe, expect, it } from 'vitest';
import { splitLines } from './text-lines.js';

describe('splitLines', () => {
  it('ends lines at CRLF, LF and bare CR, and carries a CR that may start a CRLF', () => {
    expect(splitLines('a\rb\r\nc\nd')).toEqual({ lines: ['a', 'b', 'c'], rest: 'd' });
    expect(splitLines('a\r')).toEqual({ lines: [], rest: 'a\r' });
    expect(splitLines('a\r' + '\nb\r\n')).toEqual({ lines: ['a', 'b'], rest: '' });
  });
});
