import { exePart, type HostileCase, leaf, message, multipart, nest, TEXT } from './hostile-build.js';

/** Limits turn protection off: parts, header and nesting limits, at the top and inside attached messages. */
export function limitCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  {
    const exe = exePart('parts', ['Content-Type: application/octet-stream; name="setup.exe"']);
    const empties = Array.from({ length: 1001 }, () => leaf(['Content-Type: text/plain'], ''));
    cases.push({
      threat: 'limits',
      name: 'an .exe among 1,001 empty parts',
      message: message(multipart('b', [TEXT, exe.part, ...empties])),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('header', [
      'Content-Type: application/octet-stream; name="setup.exe"',
      `X-Padding: ${'a'.repeat(1100 * 1024)}`,
    ]);
    cases.push({
      threat: 'limits',
      name: 'a part with a 1.1 MB header',
      message: message(multipart('b', [TEXT, exe.part])),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('inner-parts', ['Content-Type: application/octet-stream; name="setup.exe"']);
    const empties = Array.from({ length: 1001 }, () => leaf(['Content-Type: text/plain'], ''));
    cases.push({
      threat: 'limits',
      name: 'over-limit structure inside an attached message',
      message: message(nest(multipart('in', [TEXT, exe.part, ...empties]), 1)),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('deep4', [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="tool.exe"',
    ]);
    cases.push({
      threat: 'limits',
      name: 'an .exe four attached messages deep',
      message: message(nest(multipart('in', [TEXT, exe.part]), 4)),
      payload: exe.payload,
      strip: 'removed',
    });
  }
  {
    const exe = exePart('deep31', ['Content-Type: application/octet-stream; name="tool.exe"']);
    let entity = multipart('d0', [TEXT, exe.part]);
    for (let i = 1; i <= 31; i++) entity = multipart(`d${i}`, [entity]);
    cases.push({
      threat: 'limits',
      name: 'an .exe under 31 nesting levels',
      message: message(entity),
      payload: exe.payload,
      strip: 'bounce',
    });
  }
  {
    const exe = exePart('bighead', ['Content-Type: application/octet-stream; name="setup.exe"']);
    const padding = Array.from({ length: 1100 }, (_, i) => `X-Filler-${i}: ${'b'.repeat(1000)}`);
    cases.push({
      threat: 'limits',
      name: 'a header block over 1 MiB with a virus verdict',
      message: message(multipart('b', [TEXT, exe.part]), ['X-SES-Virus-Verdict: FAIL', ...padding]),
      payload: exe.payload,
      strip: 'bounce',
    });
  }

  return cases;
}
