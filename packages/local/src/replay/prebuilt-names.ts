/** The names `--function` takes: the bundles of `@wmflow/functions` (a module of its own: the CLI's parent
 * process checks names without loading the handler loader, which only workers load). */
export const PREBUILT_FUNCTIONS: readonly string[] = [
  'archiver',
  'archiver-ses',
  'guard',
  'guard-ses',
  'outbound-policy',
];
