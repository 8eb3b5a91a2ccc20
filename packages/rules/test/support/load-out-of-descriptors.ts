// Child process of load-out-of-descriptors tests: holds every file descriptor it can open, loads a module first
// used there, prints how the load failed, then frees the descriptors and loads again.
import { closeSync, openSync } from 'node:fs';
import { isTransient } from '@wmflow/core';
import { loadMime } from '../../src/internal/load-mime.js';

const held: number[] = [];
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch {}
let first: string;
try {
  await loadMime();
  first = 'loaded';
} catch (error) {
  first = `${(error as Error).name} ${(error as { code?: string }).code ?? ''} transient=${isTransient(error)}`;
}
for (const fd of held) closeSync(fd);
let second: string;
try {
  second = typeof (await loadMime()).MessageHeaders;
} catch (error) {
  second = `${(error as Error).name}: ${(error as Error).message} transient=${isTransient(error)}`;
}
process.stdout.write(`${JSON.stringify({ first, second })}\n`);
