/** A Koa application's middleware list, as s3rver (a Koa app) keeps it. */
interface MiddlewareList {
  middleware: { name: string }[];
}

/**
 * Takes s3rver's request logger (koa-logger feeding winston) out of its middleware. Run silent, s3rver still
 * formats a coloured log line for every request and hands it to a winston logger that drops it: about 4 % of
 * a replay's main thread. Only that middleware goes, found by its name, so a newer s3rver without it loses
 * nothing. Returns whether it was there.
 *
 * @example
 * ```ts
 * dropRequestLogger(new S3rver({ silent: true }) as unknown as MiddlewareList); // true
 * ```
 */
export function dropRequestLogger(app: MiddlewareList): boolean {
  const at = app.middleware.findIndex((m) => m.name === 'logger');
  if (at < 0) return false;
  app.middleware.splice(at, 1);
  return true;
}
