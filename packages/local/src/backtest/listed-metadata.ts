/** Message keys held back at most, waiting for their `.json`; past it a key goes on unmarked (fault round 47). */
const MAX_HELD = 10_000;

/**
 * The listing as it came, each message key given once the listing has passed where its `<key>.json` would be, so
 * that `described` holds it when that metadata object was listed: a fetch that then finds no metadata contradicts
 * the listing (something in between, the object gone meanwhile) and must not judge the copy unchecked (F47-2). In a
 * journal, `<key>.json` follows `<key>` at once, so little is held back.
 *
 * @example
 * ```ts
 * const described = new Set<string>();
 * for await (const key of noteListedMetadata(listing, described)) if (described.has(key)) { … }
 * ```
 */
export async function* noteListedMetadata(
  listed: AsyncIterable<string>,
  described: Set<string>,
): AsyncGenerator<string> {
  const held: string[] = [];
  // The keys held, to find one in constant time: a long run of keys sorting before `<key>.json` is held whole.
  const holding = new Set<string>();
  const settled = (key: string, latest: Buffer) =>
    key.endsWith('.json') || Buffer.compare(Buffer.from(`${key}.json`, 'utf8'), latest) <= 0;
  for await (const key of listed) {
    if (key.endsWith('.json')) {
      const message = key.slice(0, -'.json'.length);
      if (holding.has(message)) described.add(message);
    }
    held.push(key);
    holding.add(key);
    const latest = Buffer.from(key, 'utf8');
    while (held.length > 0 && (held.length > MAX_HELD || settled(held[0] as string, latest))) {
      const next = held.shift() as string;
      holding.delete(next);
      yield next;
    }
  }
  yield* held;
}
