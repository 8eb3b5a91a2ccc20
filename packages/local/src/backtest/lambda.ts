/**
 * Lambda entry of the Step Functions backtest (template-backtest.yaml): the
 * journal client is made from the function's own settings before the session
 * points the process's AWS settings at the in-process emulators.
 */
import { batchRunner, journalClient } from './batch.js';

export const handler = batchRunner(journalClient(process.env));
