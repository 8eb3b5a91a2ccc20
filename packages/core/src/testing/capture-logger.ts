import type { FlowLogger } from '../flow/types.js';

/** A log line captured by {@link captureLogger}. */
export interface CapturedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  attributes: Record<string, unknown>;
}

/**
 * A {@link FlowLogger} that keeps every line in memory, for tests and the replay runner.
 *
 * @example
 * ```ts
 * const logger = captureLogger();
 * await flow({ rules: [], logger })(event, context);
 * logger.lines[0]?.attributes.verdicts;
 * ```
 */
export function captureLogger(): FlowLogger & { lines: CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const at =
    (level: CapturedLine['level']) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      lines.push({ level, message, attributes: Object.assign({}, ...extra) });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}
