import S3rver from 's3rver';
import { describe, expect, it } from 'vitest';
import { dropRequestLogger } from './quiet-requests.js';

describe('dropRequestLogger', () => {
  it("takes only s3rver's request logger out of its middleware", () => {
    const app = new S3rver({ silent: true }) as unknown as { middleware: { name: string }[] };
    const before = app.middleware.map((m) => m.name);
    expect(before).toContain('logger');
    expect(dropRequestLogger(app)).toBe(true);
    expect(app.middleware.map((m) => m.name)).toEqual(before.filter((name) => name !== 'logger'));
    expect(dropRequestLogger(app)).toBe(false);
    expect(app.middleware).toHaveLength(before.length - 1);
  });
});
