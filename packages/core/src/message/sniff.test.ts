import { describe, expect, it } from 'vitest';
import { sniffType } from './sniff.js';
import { unixModeOf } from './unix-mode.js';

const bytes = (...b: number[]) => Buffer.from([...b, 0, 0, 0, 0, 0, 0, 0, 0]);

describe('sniffType: macOS executables', () => {
  it('knows a Mach-O file, 32 or 64 bits, either byte order', () => {
    for (const magic of [
      [0xfe, 0xed, 0xfa, 0xce],
      [0xfe, 0xed, 0xfa, 0xcf],
      [0xce, 0xfa, 0xed, 0xfe],
      [0xcf, 0xfa, 0xed, 0xfe],
    ])
      expect(sniffType(bytes(...magic))).toBe('application/x-mach-binary');
  });

  it('tells a universal binary from a Java class file, which starts alike', () => {
    expect(sniffType(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2))).toBe('application/x-mach-binary');
    expect(sniffType(bytes(0xca, 0xfe, 0xba, 0xbf, 0, 0, 0, 3))).toBe('application/x-mach-binary');
    // Java 8 class file: minor 0, major 52.
    expect(sniffType(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52))).toBeUndefined();
    expect(sniffType(Buffer.from([0xca, 0xfe, 0xba, 0xbe]))).toBeUndefined();
    // Past 44 architectures, the first one's CPU type decides (a class file's constant pool size and tag are none).
    expect(sniffType(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 60, 1, 0, 0, 7))).toBe(
      'application/x-mach-binary',
    );
    expect(sniffType(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 60, 0, 0x1f, 0x0a, 0))).toBeUndefined();
  });
});

describe('unixModeOf', () => {
  it("reads Apple Mail's x-unix-mode, quoted or not, from any of the headers", () => {
    expect(unixModeOf(['application/octet-stream; x-unix-mode=0755; name="Invoice"'])).toBe(0o755);
    expect(unixModeOf(['application/pdf; name="a.pdf"', 'attachment; X-Unix-Mode="0644"'])).toBe(0o644);
    expect(unixModeOf(['text/plain; charset=utf-8'])).toBeUndefined();
  });

  it('reads the mode after a character that lower-cases to two (İ), at the right positions', () => {
    expect(unixModeOf(['application/octet-stream; name="İnvoice"; x-unix-mode=0755'])).toBe(0o755);
    expect(unixModeOf(['a/b; (İİİ) X-Unix-Mode=0700'])).toBe(0o700);
  });

  it('reads every spelling a lenient parser accepts, and takes a value it cannot read as executable', () => {
    expect(unixModeOf(['a/b; x-unix-mode=00000755'])).toBe(0o755);
    expect(unixModeOf(["a/b; x-unix-mode*=us-ascii''0755"])).toBe(0o755);
    expect(unixModeOf(['a/b; x-unix-mode*0=07; x-unix-mode*1=55'])).toBe(0o755);
    expect(unixModeOf(['a/b; x-unix-mode="\\0644"'])).toBe(0o644);
    expect(unixModeOf(['a/b; x-unix-mode=(perm)0644'])).toBe(0o644);
    expect(unixModeOf(['a/b; x-unix-mode=+755'])).toBe(0o777);
    expect(unixModeOf(['a/b; x-unix-mode=0755x'])).toBe(0o777);
    expect(unixModeOf(['a/b; x-unix-mode = ((a) b)0644 (c)'])).toBe(0o644);
    expect(unixModeOf(['a/b; x-unix-mode=(\\) 0644'])).toBe(0o777); // the comment never closes
    expect(unixModeOf(['a/b; x-unix-mode=0644 (never closed'])).toBe(0o777);
    expect(unixModeOf(["a/b;x-unix-mode *0 * = us-ascii''07;\r\n x-unix-mode*1=55"])).toBe(0o755);
    // A parser that splits at every `;` reads one inside a quoted value too (here with the closing quote: unknown).
    expect(unixModeOf(['a/b; name="x; x-unix-mode=0755"'])).toBe(0o777);
  });

  it('reads the name wherever it stands, after any white space, and a continuation past 64 as unknown (attacker round 34)', () => {
    expect(unixModeOf(['application/octet-stream; \x0bx-unix-mode=0755; name="Invoice"'])).toBe(0o755);
    expect(unixModeOf(['application/octet-stream;\u00a0x-unix-mode\f=0755'])).toBe(0o755);
    expect(unixModeOf(['application/octet-stream; (perm) x-unix-mode=0755'])).toBe(0o755);
    expect(unixModeOf(['application/octet-stream; x-unix-mode*4294967295=0644'])).toBe(0o777);
    expect(unixModeOf(['application/octet-stream; x-unix-mode*99999999999999999999=0644'])).toBe(0o777);
    expect(unixModeOf(['application/octet-stream; x-unix-mode*63=0644'])).toBe(0o644);
  });

  it('joins the bits of every occurrence, since a client may read any of them', () => {
    expect(unixModeOf(['application/octet-stream; x-unix-mode=0644; x-unix-mode=0100'])).toBe(0o744);
  });
});
