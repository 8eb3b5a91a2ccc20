import { describe, expect, it } from 'vitest';
import { externalBodyNames } from './external-body.js';

describe('externalBodyNames', () => {
  it("reads the URL's last segment and the phantom header block's names", () => {
    const head = Buffer.from(
      'Content-Type: application/octet-stream;\r\n name="a.vbs"\r\nContent-Disposition: attachment; filename=b.exe\r\n\r\nignored: c.js',
    );
    expect(
      externalBodyNames('message/external-body; access-type=URL; URL="https://h/d/x.hta?q=1"', head),
    ).toEqual(['x.hta', 'a.vbs', 'b.exe']);
  });
  it('gives nothing for a phantom header without names', () => {
    expect(
      externalBodyNames(
        'message/external-body; access-type=mail-server',
        Buffer.from('Content-Type: text/plain\r\n\r\n'),
      ),
    ).toEqual([]);
  });
});
