/**
 * Buckets each prebuilt function needs, with the local names replay gives them when the user set none:
 * the archivers journal to `JOURNAL_BUCKET`; guard and outbound-policy stage edited messages in
 * `UPDATES_BUCKET`. In Lambda these come from template.yaml; locally any name works.
 */
const LOCAL_BUCKETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  archiver: { JOURNAL_BUCKET: 'wmflow-local-journal' },
  'archiver-ses': { JOURNAL_BUCKET: 'wmflow-local-journal' },
  guard: { UPDATES_BUCKET: 'wmflow-local-updates' },
  'outbound-policy': { UPDATES_BUCKET: 'wmflow-local-updates' },
};

/**
 * The bucket settings a prebuilt function needs that `env` leaves unset (or empty), with local names.
 *
 * @example
 * ```ts
 * localBucketDefaults('guard', {}); // { UPDATES_BUCKET: 'wmflow-local-updates' }
 * ```
 */
export function localBucketDefaults(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const wanted = LOCAL_BUCKETS[name] ?? {};
  return Object.fromEntries(Object.entries(wanted).filter(([key]) => (env[key] ?? '').trim() === ''));
}
