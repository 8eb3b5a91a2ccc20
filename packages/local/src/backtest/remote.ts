import type { ProgressBar } from './progress-bar.js';
import type { BacktestInit } from './session.js';
import type { BacktestLine } from './types.js';

export interface RemoteOptions {
  stateMachineArn: string;
  source: string;
  init: BacktestInit;
  signal: AbortSignal;
  bar: ProgressBar | undefined;
  onLine(line: BacktestLine): Promise<void>;
}
export async function runRemote(_o: RemoteOptions): Promise<void> {}
