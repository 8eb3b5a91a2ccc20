// How a reader's work grows: one run on an input of SCALE·n against SCALE runs on one of n (the same amount of
// input, about the same garbage to collect). Linear work gives about 1, quadratic SCALE (8); n log n about 1.2.

export const SCALE = 8;

/** The best of `times` runs, in ms. */
async function best(run: () => unknown, times: number): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    min = Math.min(min, performance.now() - started);
  }
  return min;
}

/** SCALE runs on the small input must take at least this long: shorter, timer and GC noise decide the ratio. */
const MIN_BATCH_MS = 5;

/**
 * The size to measure at: `n`, doubled (at most 32×) until SCALE runs take {@link MIN_BATCH_MS}. On a fast
 * machine a cheap reader's small input otherwise stays below the size where its work falls out of the CPU
 * caches (~100–160 kB here) while the large one is above it: a step of several times per byte that is not
 * growth (measured: `messageDate` 2.4 ns per character at 80 kB, 16.8 at 160 kB, 15.4 at 1.3 MB).
 */
async function calibrated<T>(
  make: (n: number) => T,
  read: (input: T) => unknown,
  n: number,
): Promise<number> {
  let size = n;
  for (let doubling = 0; doubling < 5; doubling++) {
    const input = make(size);
    await read(input);
    const batch = await best(async () => {
      for (let i = 0; i < SCALE; i++) await read(input);
    }, 2);
    if (batch >= MIN_BATCH_MS) break;
    size *= 2;
  }
  return size;
}

/** What {@link growth} measured: the size, SCALE runs on n and one run on SCALE·n (best of 5), their ratio. */
export interface Growth {
  n: number;
  smallMs: number;
  largeMs: number;
  ratio: number;
}

/**
 * The growth of `read`'s work from `make(n)` to `make(SCALE·n)`. A busy moment can spoil a measurement, never
 * make quadratic work look linear: measured again, up to 10 times, while the ratio is `limit` or more.
 */
export async function growth<T>(
  make: (n: number) => T,
  read: (input: T) => unknown,
  given: number,
  limit: number,
): Promise<Growth> {
  const n = await calibrated(make, read, given);
  const small = make(n);
  const large = make(n * SCALE);
  await read(small); // warm: compiled before it is timed
  const smalls = async () => {
    for (let i = 0; i < SCALE; i++) await read(small);
  };
  let found: Growth = { n, smallMs: 0, largeMs: 0, ratio: Number.POSITIVE_INFINITY };
  for (let attempt = 0; attempt < 10 && found.ratio >= limit; attempt++) {
    const smallMs = await best(smalls, 5);
    const largeMs = await best(() => read(large), 5);
    const ratio = largeMs / Math.max(smallMs, 0.05);
    if (ratio < found.ratio) found = { n, smallMs, largeMs, ratio };
  }
  return found;
}
