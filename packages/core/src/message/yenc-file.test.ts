import { describe, expect, it } from 'vitest';
import { yencLines, zipFile } from '../testing/index.js';
import { endUuFile, startYencFile, takeUuLine } from './uu-file.js';
import { decodeYencLine, takeYencLine, yencBegin } from './yenc-file.js';

function decodeFile(begin: string, lines: readonly string[]) {
  const begun = yencBegin(begin);
  if (!begun) throw new Error('no begin line');
  const file = startYencFile(begun.state, begun.name);
  for (const line of lines) if (takeUuLine(file, line)) break;
  return endUuFile(file);
}

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60)]);
const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('yencBegin', () => {
  it('reads the name (the rest of the line) and the part keywords before it', () => {
    expect(yencBegin('=ybegin line=128 size=10 name=invoice.zip')).toEqual({
      name: 'invoice.zip',
      state: { escape: false },
    });
    expect(yencBegin('=ybegin line=128 size=10 name=my part=2 file.zip')?.state.part).toBeUndefined();
    expect(yencBegin('=ybegin line=128 size=10')).toBeUndefined();
    expect(yencBegin('=ybeginline=128 name=x')).toBeUndefined();
  });
  it('refuses a part of a multi-part file, not a file in one part of one', () => {
    expect(yencBegin('=ybegin part=2 total=3 line=128 size=9 name=a.zip')?.state.problem).toMatch(/in parts/);
    expect(yencBegin('=ybegin part=1 line=128 size=9 name=a.zip')?.state.problem).toMatch(/in parts/);
    expect(yencBegin('=ybegin part=1 total=1 line=128 size=9 name=a.zip')?.state.problem).toBeUndefined();
  });
});

describe('decoding yEnc lines', () => {
  it('decodes every byte value, escaped or not', () => {
    const state = { escape: false };
    const bytes = Buffer.concat(yencLines(EVERY_BYTE, 40).map((line) => decodeYencLine(state, line)));
    expect(bytes).toEqual(EVERY_BYTE);
  });
  it('carries an escape at a line end to the next line, and skips CR and LF', () => {
    const state = { escape: false };
    expect(decodeYencLine(state, 'r=')).toEqual(Buffer.from([0x48]));
    expect(decodeYencLine(state, '@\r\ns')).toEqual(Buffer.from([0xd6, 0x49]));
  });
  it('skips =ypart lines and ends at =yend; a bare =yend ends it but is a problem', () => {
    const state = { escape: false };
    expect(takeYencLine(state, '=ypart begin=1 end=10')).toEqual(Buffer.alloc(0));
    expect(takeYencLine(state, '=yend size=10 crc32=0')).toBe('end');
    expect(state).toEqual({ escape: false });
    expect(takeYencLine(state, '=yend')).toBe('end');
    expect((state as { problem?: string }).problem).toMatch(/end line/);
  });
});

describe('a yEnc file in text', () => {
  it('sniffs an executable', () => {
    const result = decodeFile('=ybegin line=128 size=64 name=a.bin', [...yencLines(MZ), '=yend size=64']);
    expect(result.sniffed).toBe('application/x-msdownload');
    expect(result.problem).toBeUndefined();
  });
  it('lists a zip, and refuses a part of a multi-part one', () => {
    const zip = zipFile([{ name: 'invoice.exe', data: MZ }]);
    const whole = decodeFile(`=ybegin line=128 size=${zip.length} name=invoice.zip`, yencLines(zip));
    expect(whole.archive?.names).toContain('invoice.exe');
    const part = decodeFile(`=ybegin part=1 total=2 line=128 size=${zip.length} name=invoice.zip`, [
      `=ypart begin=1 end=${zip.length}`,
      ...yencLines(zip),
    ]);
    expect(part.archive?.names).toContain('invoice.exe');
    expect(part.problem).toMatch(/in parts/);
  });
});

// Thunderbird ends a yEnc line at a NUL and drops characters of one past its 1000-byte buffer; other decoders
// keep both: which file a client saves is not known (attacker round 53).
describe('a yEnc line clients decode differently', () => {
  const notes = Buffer.from('Meeting at ten, in the small room.\r\n'.repeat(40));
  it('refuses a NUL in a data line, escaped or not', () => {
    const [first = '', ...rest] = yencLines(notes);
    for (const line of [`${first}\0x`, `=\0${first}`]) {
      const result = decodeFile('=ybegin line=128 size=1440 name=notes.txt', [
        line,
        ...rest,
        '=yend size=1440',
      ]);
      expect(result.problem).toMatch(/NUL/);
    }
  });
  it('refuses a data line over 997 characters, and reads lines of 128, 256 and 997 whole', () => {
    expect(decodeFile('=ybegin line=998 size=1440 name=notes.txt', yencLines(notes, 998)).problem).toMatch(
      /more than 997/,
    );
    for (const width of [128, 256, 997])
      expect(
        decodeFile('=ybegin line=128 size=1440 name=notes.txt', yencLines(notes, width)).problem,
      ).toBeUndefined();
  });
  it('reads NUL and long lines in keyword lines as before', () => {
    const { state } = yencBegin('=ybegin line=128 size=2 name=a.txt') as NonNullable<
      ReturnType<typeof yencBegin>
    >;
    expect(takeYencLine(state, `=ypart begin=1 end=2`)).toEqual(Buffer.alloc(0));
    expect(takeYencLine(state, '=yend size=2')).toBe('end');
    expect(state.problem).toBeUndefined();
  });
});
