// Fault round 79: one Lambda runtime process for one invocation, run by the round's tests so it can be killed
// mid-invocation (SIGKILL, as Lambda's timeout ends the runtime) or run out of file descriptors. argv: the function
// (`guard`, `archiver`, `outbound-policy`, `guard-ses`), its settings (JSON), the event (JSON). Prints `ready` once the
// handler is loaded, then one line of JSON: the answer or the error.
import { closeSync, openSync } from 'node:fs';
import { lambdaContext } from '@wmflow/core/testing';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';

const [name, settingsJson, eventJson] = process.argv.slice(2) as [string, string, string];
const settings = JSON.parse(settingsJson) as Record<string, string>;
const event = JSON.parse(eventJson) as unknown;
const handlers: Record<string, (env: Record<string, string>) => (e: never, c: never) => Promise<unknown>> = {
  guard: guard as never,
  archiver: archiver as never,
  'outbound-policy': outboundPolicy as never,
  'guard-ses': guardSes as never,
};
const handler = (handlers[name] ?? guard)(settings) as (e: unknown, c: unknown) => Promise<unknown>;

// Out of file descriptors (EMFILE), as a Lambda whose code leaked them is: every descriptor the process can still
// open is held (`R79_EXHAUST_FDS=1` before the invocation; on SIGUSR2 during it, answered by `exhausted`). Those open
// now (stdout, connections already made) stay usable.
const held: number[] = [];
const exhaust = () => {
  try {
    for (;;) held.push(openSync('/dev/null', 'r'));
  } catch {}
};
process.on('SIGUSR2', () => {
  exhaust();
  process.stdout.write('exhausted\n');
});
process.stdout.write('ready\n');
if (process.env.R79_EXHAUST_FDS === '1') exhaust();
try {
  const response = await handler(event, lambdaContext({ timeoutMs: 20_000 }));
  process.stdout.write(`${JSON.stringify({ response })}\n`);
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ error: `${(error as Error).name}: ${(error as Error).message}` })}\n`,
  );
}
for (const fd of held) closeSync(fd);
