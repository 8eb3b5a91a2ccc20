import { describe, expect, it } from 'vitest';
import { HEAD_BYTES } from './binary-text.js';
import { fileReading } from './file-reading.js';

const RAR = Buffer.from('Rar!\x1a\x07\x00', 'latin1');

describe('how a carried file is read', () => {
  it('is unread when an archive not opened, by its bytes or its name', () => {
    expect(fileReading('binary', RAR, [], () => RAR)).toEqual({ unread: 'a rar file, which is not read' });
    const junk = Buffer.from('\x00\x01\x02', 'latin1');
    expect(fileReading('binary', junk, ['export.7z'], () => junk)).toEqual({
      unread: 'a 7z file, which is not read',
    });
  });
  it('reads a program whole, for the archive it may carry past its head', () => {
    const sfx = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(HEAD_BYTES * 2), RAR]);
    const head = sfx.subarray(0, HEAD_BYTES);
    expect(fileReading('binary', head, ['setup.exe'], () => sfx)).toHaveProperty('unread');
    expect(fileReading('binary', head, ['setup.exe'], () => head)).toEqual({ reading: 'binary' });
  });
  it('asks for the whole file only for a program', () => {
    const text = Buffer.from('CARD 4111 1111 1111 1111\r\n\x1a', 'latin1');
    const whole = () => {
      throw new Error('read whole');
    };
    expect(fileReading('binary', text, ['x.dat'], whole)).toEqual({ reading: 'strings' });
  });
  it('reads binary of no known format for its strings, and skips an image', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(fileReading('binary', png, ['a.png'], () => png)).toEqual({ reading: 'binary' });
    expect(fileReading('zip', Buffer.from('PK\x03\x04'), ['a.zip'], () => png)).toEqual({ reading: 'zip' });
  });
});
