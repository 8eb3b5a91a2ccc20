/**
 * How long a command's process may go on once its work is done before what keeps it running (a timer or socket a
 * handler module left open: a `setInterval` at import, a keep-alive connection) is not waited for. A Lambda run
 * is frozen once the handler answered; `wmflow replay` ends there too, with its normal exit code (fault round 57).
 */
export const HELD_OPEN_GRACE_MS = 1000;

/**
 * What a command says on stderr when it ended its process (or a worker's) without waiting for what was left open.
 *
 * @example
 * ```ts
 * process.stderr.write(heldOpenNote('replay'));
 * ```
 */
export function heldOpenNote(command: string): string {
  return (
    `wmflow ${command}: note: the handler left a timer or socket open after its last message; ended without ` +
    'waiting for it, as a Lambda run is frozen once it answered (clear it, or unref() it)\n'
  );
}

/**
 * Ends the process with `code` if it is still running {@link HELD_OPEN_GRACE_MS} after its work is done, saying
 * so; a process that ends on its own meanwhile is not held back (the timer does not keep it running).
 *
 * @example
 * ```ts
 * process.exitCode = await main(argv);
 * endWhenHeldOpen('replay', process.exitCode);
 * ```
 */
export function endWhenHeldOpen(command: string, code: number): void {
  setTimeout(() => {
    process.stderr.write(heldOpenNote(command), () => process.exit(code));
  }, HELD_OPEN_GRACE_MS).unref();
}
