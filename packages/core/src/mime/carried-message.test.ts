import { describe, expect, it } from 'vitest';
import { carriedMessage, textIfMessage } from './carried-message.js';

const message = 'From: a@corp.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n\r\nhi\r\n';

describe('carriedMessage', () => {
  it('finds the message after what clients skip: a BOM, blank lines, an mbox From line, an .emlx length', () => {
    for (const lead of ['', '\uFEFF', '\r\n\r\n', 'From a@corp.example Tue Nov 24 09:00:00 2026\r\n', '57\n'])
      expect(carriedMessage(Buffer.from(lead + message))?.toString()).toBe(message);
  });

  it('needs a MIME field in the header block: prose or a bare header list is not a message', () => {
    expect(carriedMessage(Buffer.from('Note: the meeting moved.\r\nRoom: 4B\r\n'))).toBeUndefined();
    expect(carriedMessage(Buffer.from('Subject: x\r\n\r\nMIME-Version: 1.0\r\n'))).toBeUndefined();
    expect(carriedMessage(Buffer.from('Dear Ann,\r\nMIME-Version: 1.0\r\n'))).toBeUndefined();
  });

  it('calls a binary-looking file text when it is a message, by name or by content', () => {
    expect(textIfMessage('binary', 'fw.eml', Buffer.from([0, 1, 2]))).toBe('text');
    expect(textIfMessage('binary', 'blob', Buffer.from(`X-A: \x7f\r\n${message}`, 'latin1'))).toBe('text');
    expect(textIfMessage('binary', 'photo.jpg', Buffer.from([0xff, 0xd8, 0xff]))).toBe('binary');
    expect(textIfMessage('zip', 'a.eml', Buffer.from('PK'))).toBe('zip');
  });
});
