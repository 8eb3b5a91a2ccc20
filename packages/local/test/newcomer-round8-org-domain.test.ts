import { expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 8: `--org-domain @corp.example` (the domain as an address list writes it) was taken as a domain no
// address is in: the outbound message replayed as inbound to `recipient@@corp.example`, exit 0, nothing said; and
// `--org-domain corp.example,sub.corp.example` (as ORGANIZATION_DOMAINS is written) was one domain named with a comma.
const OUTBOUND = 'samples/eml/06-outbound-card-numbers.eml';
const HANDLER = 'samples/lambdas/wire-transfer-blocker.ts';

it('replay refuses a domain written with its @, naming the domain', async () => {
  const run = await wmflow([
    'replay',
    OUTBOUND,
    '--handler',
    HANDLER,
    '--org-domain',
    '@corp.example',
    '--json',
  ]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    'wmflow replay: --org-domain @corp.example: a domain name, corp.example (without the @)\n',
  );
}, 60_000);

it('event refuses an address given as the domain', async () => {
  const run = await wmflow(['event', OUTBOUND, '--org-domain', 'alice@corp.example']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    'wmflow event: --org-domain alice@corp.example: a domain name, corp.example (without the address before it)\n',
  );
}, 60_000);

it('takes a comma-separated list, as ORGANIZATION_DOMAINS is written', async () => {
  const run = await wmflow(['event', OUTBOUND, '--org-domain', 'other.example,corp.example']);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout).flowDirection).toBe('OUTBOUND');
  const replay = await wmflow([
    'replay',
    OUTBOUND,
    '--handler',
    HANDLER,
    '--org-domain',
    'other.example, corp.example',
    '--json',
  ]);
  expect(JSON.parse(replay.stdout).direction).toBe('OUTBOUND');
}, 60_000);
