import { describe, expect, it } from 'vitest';
import { compoundFile } from '../testing/index.js';
import { runsSlideProgram } from './office-links.js';
import { binarySlideAction, binarySlides, interactiveAction } from './slide-actions.js';

// An InteractiveInfoAtom: header (version 0, instance 0, type 0x0FF3, length), two references, the action byte.
const atom = (action: number, length = 16) => {
  const b = Buffer.alloc(8 + 16);
  b.writeUInt16LE(0x0ff3, 2);
  b.writeUInt32LE(length, 4);
  b[16] = action;
  return b;
};
const ppt = (stream: Buffer, name = 'PowerPoint Document') => compoundFile([[name, stream]]);

describe('interactiveAction', () => {
  it('names the actions that run something: macro, program, OLE verb', () => {
    expect(interactiveAction(atom(1))).toBe('runs a macro');
    expect(interactiveAction(atom(2))).toBe('runs a program');
    expect(interactiveAction(atom(5))).toBe('activates an embedded object');
  });
  it('leaves jumps, hyperlinks, media and custom shows alone', () => {
    for (const action of [0, 3, 4, 6, 7]) expect(interactiveAction(atom(action))).toBeUndefined();
  });
  it('finds an atom wherever it lies, past one that does not run anything', () => {
    const stream = Buffer.concat([
      Buffer.from([0xf3, 0x0f, 0, 0, 0, 0, 2]),
      atom(4),
      Buffer.alloc(3),
      atom(2),
    ]);
    expect(interactiveAction(stream)).toBe('runs a program');
  });
  it('skips bytes whose length cannot be an atom’s, and an atom cut before its action', () => {
    expect(interactiveAction(atom(2, 8))).toBeUndefined();
    expect(interactiveAction(atom(2, 0x7fffffff))).toBeUndefined();
    expect(interactiveAction(atom(2).subarray(0, 16))).toBeUndefined();
  });
});

describe('binarySlideAction', () => {
  it('reads the PowerPoint Document stream, its name in any case', () => {
    expect(binarySlideAction(ppt(atom(2)), 1 << 20)).toBe('runs a program');
    expect(binarySlideAction(ppt(atom(1), 'POWERPOINT document'), 1 << 20)).toBe('runs a macro');
  });
  it('leaves other compound files and other streams alone', () => {
    expect(binarySlideAction(ppt(atom(2), 'WordDocument'), 1 << 20)).toBeUndefined();
    expect(binarySlideAction(ppt(atom(3)), 1 << 20)).toBeUndefined();
  });
  it('throws when a presentation cannot be read within the bytes allowed', () => {
    expect(() => binarySlideAction(ppt(Buffer.concat([Buffer.alloc(8192), atom(2)])), 1024)).toThrow();
  });
});

describe('binarySlides: an encrypted show (MS-PPT 2.3.7)', () => {
  // CurrentUserAtom: header (type 0x0FF6), size, headerToken, offsetToCurrentEdit, …
  const user = (token: number) => {
    const b = Buffer.alloc(8 + 20);
    b.writeUInt16LE(0x0ff6, 2);
    b.writeUInt32LE(20, 4);
    b.writeUInt32LE(20, 8);
    b.writeUInt32LE(token, 12);
    return b;
  };
  // CryptSession10Container: recVer 0xF, type 0x2F14, then EncryptionVersionInfo (major, minor) and the rest.
  const cryptSession = (major: number, minor: number, recVer = 0xf) => {
    const b = Buffer.alloc(8 + 16);
    b.writeUInt16LE(recVer, 0);
    b.writeUInt16LE(0x2f14, 2);
    b.writeUInt32LE(16, 4);
    b.writeUInt16LE(major, 8);
    b.writeUInt16LE(minor, 10);
    return b;
  };
  const cipher = Buffer.from('5e0c9a71d2b3448f00aa17', 'hex');
  it('knows one by its encrypted headerToken, an EncryptedSummary stream, or a CryptSession10Container', () => {
    const show = (streams: [string, Buffer][]) => binarySlides(compoundFile(streams), 1 << 20);
    expect(
      show([
        ['PowerPoint Document', cipher],
        ['Current User', user(0xf3d1c4df)],
      ]),
    ).toEqual({ encrypted: true });
    expect(
      show([
        ['PowerPoint Document', cipher],
        ['EncryptedSummary', cipher],
      ]),
    ).toEqual({ encrypted: true });
    expect(show([['PowerPoint Document', Buffer.concat([cipher, cryptSession(2, 2)])]])).toEqual({
      encrypted: true,
    });
    // Its recVer and recInstance are not relied on.
    expect(show([['PowerPoint Document', Buffer.concat([cipher, cryptSession(4, 2, 0)])]])).toEqual({
      encrypted: true,
    });
  });
  it('reads an unencrypted show, and leaves bytes that only look like the container alone', () => {
    const show = (stream: Buffer) =>
      binarySlides(
        compoundFile([
          ['PowerPoint Document', stream],
          ['Current User', user(0xe391c05f)],
        ]),
        1 << 20,
      );
    expect(show(atom(2))).toEqual({ action: 'runs a program' });
    expect(show(Buffer.concat([atom(3), cryptSession(1, 1)]))).toEqual({});
    expect(show(Buffer.concat([atom(3), cryptSession(2, 2).subarray(0, 12)]))).toEqual({});
    // Another compound file with an EncryptedSummary is no presentation here.
    expect(
      binarySlides(
        compoundFile([
          ['WordDocument', cipher],
          ['EncryptedSummary', cipher],
        ]),
        1 << 20,
      ),
    ).toEqual({});
  });
});

describe('runsSlideProgram (OpenDocument)', () => {
  const NS =
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"';
  const doc = (listener: string) => `<office:document-content ${NS}>${listener}</office:document-content>`;
  it('finds a presentation action that runs a program or activates an object', () => {
    expect(
      runsSlideProgram(
        doc('<presentation:event-listener presentation:action="execute" xlink:href="x.exe"/>'),
      ),
    ).toBe(true);
    expect(
      runsSlideProgram(
        doc("<presentation:event-listener presentation:action='verb' presentation:verb='0'/>"),
      ),
    ).toBe(true);
    expect(runsSlideProgram(doc('<q:event-listener z:action="&#101;xecute"/>'))).toBe(true);
  });
  it('finds a listener that runs a macro or script, and OpenOffice.org 1.x events', () => {
    expect(
      runsSlideProgram(
        doc(
          '<script:event-listener script:language="ooo:script" script:event-name="dom:click" xlink:href="x"/>',
        ),
      ),
    ).toBe(true);
    expect(
      runsSlideProgram(
        doc(
          '<presentation:event-listener presentation:action="next-page" xlink:href="vnd.sun.star.script:a.b"/>',
        ),
      ),
    ).toBe(true);
    expect(
      runsSlideProgram(
        doc('<script:event script:event-name="on-click" script:macro-name="Standard.Module1.Main"/>'),
      ),
    ).toBe(true);
    expect(runsSlideProgram(doc('<presentation:event presentation:action="execute"/>'))).toBe(true);
  });
  it('leaves page moves, hyperlinks and other markup alone', () => {
    expect(runsSlideProgram(doc('<presentation:event-listener presentation:action="next-page"/>'))).toBe(
      false,
    );
    expect(
      runsSlideProgram(
        doc('<presentation:event-listener presentation:action="show" xlink:href="https://example.com/"/>'),
      ),
    ).toBe(false);
    expect(runsSlideProgram(doc('<event language="en" action="next"/><event-listeners/>'))).toBe(false);
    // Without an ODF namespace (and no character reference), markup is not read as ODF.
    expect(runsSlideProgram('<event-listener action="execute"/>')).toBe(false);
  });
});
