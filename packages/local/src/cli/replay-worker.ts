/**
 * A `wmflow replay -j N` worker process: parses the same flags as the parent, starts its own local stack and
 * handler, then replays each file it is sent, one at a time, until `end`.
 */
import { ExpectationBook } from '../replay/expect.js';
import { replayFile } from '../replay/runner.js';
import type { MessageOutcome } from '../replay/summary.js';
import { serveWorker } from '../workers/serve-worker.js';
import { openReplaySession, parseReplayArgs, resolveReplay } from './replay-session.js';

serveWorker<{ args: string[] }, string, MessageOutcome>(async ({ args }) => {
  const { values } = parseReplayArgs(args);
  const resolved = await resolveReplay(values, true);
  const session = await openReplaySession(values, resolved, await ExpectationBook.load(values.expect));
  const names = new Set<string>();
  return { handle: (file) => replayFile(session.options, file, names), close: () => session.close() };
});
