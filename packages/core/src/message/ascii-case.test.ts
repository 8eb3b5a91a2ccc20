import { describe, expect, it } from 'vitest';
import { asciiLowerCase } from './ascii-case.js';

describe('ASCII lower case', () => {
  it('lower-cases A–Z only, keeping the length', () => {
    expect(asciiLowerCase('İ<BODY> X-Unix-Mode')).toBe('İ<body> x-unix-mode');
    expect(asciiLowerCase('İİ').length).toBe(2);
    expect(asciiLowerCase('\u212a')).toBe('\u212a'); // the Kelvin sign is no `k` in markup
  });
});
