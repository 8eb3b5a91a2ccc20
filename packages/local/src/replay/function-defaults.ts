/**
 * Settings each prebuilt function needs, with the local values replay gives them when the user set none: the
 * archivers journal to `JOURNAL_BUCKET`; guard and outbound-policy stage edited messages in `UPDATES_BUCKET`;
 * guard-ses sends its bounces from `BOUNCE_SENDER` (the local SES takes any sender). In Lambda these come from
 * the templates; locally any value works.
 */
const LOCAL_SETTINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  archiver: { JOURNAL_BUCKET: 'wmflow-local-journal' },
  'archiver-ses': { JOURNAL_BUCKET: 'wmflow-local-journal' },
  guard: { UPDATES_BUCKET: 'wmflow-local-updates' },
  'guard-ses': { BOUNCE_SENDER: 'postmaster@wmflow-local.example' },
  'outbound-policy': { UPDATES_BUCKET: 'wmflow-local-updates' },
};

/**
 * The settings a prebuilt function needs that `env` leaves unset (or empty), with local values.
 *
 * @example
 * ```ts
 * localDefaults('guard', {}); // { UPDATES_BUCKET: 'wmflow-local-updates' }
 * ```
 */
export function localDefaults(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const wanted = LOCAL_SETTINGS[name] ?? {};
  return Object.fromEntries(Object.entries(wanted).filter(([key]) => (env[key] ?? '').trim() === ''));
}
