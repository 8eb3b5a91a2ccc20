import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SPIN =
  'const t=performance.now();let x=0;for(let i=0;i<2e8;i++)x+=i%7;console.log(performance.now()-t,x>0)';

/**
 * Milliseconds a fixed CPU-bound loop takes in a fresh `node` process: the machine's speed right now, for
 * reading a run's figures (a busy host stretches CPU-bound handlers more than the I/O-bound floors).
 */
export async function spin(): Promise<number> {
  const { stdout } = await run(process.execPath, ['-e', SPIN]);
  return Number.parseFloat(stdout);
}
