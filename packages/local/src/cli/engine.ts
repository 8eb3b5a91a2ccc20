/**
 * `--engine SES` and `--engine=WorkMail` as `--engine ses` and `--engine workmail` (newcomer round 9): AWS writes
 * the services' names in capitals, and `--direction inbound` is taken in any case. Any other value is left as it is
 * for the command to refuse.
 *
 * @example
 * ```ts
 * engineArgs(['mail', '--engine', 'SES']); // ['mail', '--engine', 'ses']
 * ```
 */
export function engineArgs(args: readonly string[]): string[] {
  const known = (value: string | undefined) => {
    const lower = value?.toLowerCase();
    return lower === 'ses' || lower === 'workmail' ? lower : undefined;
  };
  return args.map((arg, i) => {
    // Only an option, not a folder named after it: arguments after `--` are left alone.
    if (args.slice(0, i).includes('--')) return arg;
    if (arg.startsWith('--engine=')) {
      const engine = known(arg.slice('--engine='.length));
      return engine ? `--engine=${engine}` : arg;
    }
    return args[i - 1] === '--engine' ? (known(arg) ?? arg) : arg;
  });
}
