/**
 * `npm run demo`: replays the sample messages through the prebuilt functions and the sample
 * custom Lambda on the embedded emulators (no AWS account), checking each outcome against
 * samples/expect/*.expect.json. Every step is a plain `wmflow replay` command, printed first.
 *
 *   node --conditions=wmflow-source --import tsx samples/demo.ts
 */
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/local/src/cli/main.ts');
const ENV = ['--env-file', 'samples/expect/env.json'];

const steps: { title: string; args: string[] }[] = [
  {
    title: 'Inbound guard: SES verdicts, attachment policy, impersonation, outside-mail tagging',
    args: ['--function', 'guard', ...ENV, '--expect', 'samples/expect/guard.expect.json', '--check'],
  },
  {
    title: 'Outbound policy: card/IBAN numbers leaving the organization, disclaimer',
    args: [
      '--function',
      'outbound-policy',
      ...ENV,
      '--expect',
      'samples/expect/outbound-policy.expect.json',
      '--check',
    ],
  },
  {
    title: 'Sample custom Lambda (samples/lambdas/wire-transfer-blocker.ts)',
    args: [
      '--handler',
      'samples/lambdas/wire-transfer-blocker.ts',
      ...ENV,
      '--expect',
      'samples/expect/wire-transfer-blocker.expect.json',
      '--check',
      '--summary',
    ],
  },
  {
    title: 'Archiver: every message journaled byte for byte to S3 (asynchronous rule)',
    args: [
      '--function',
      'archiver',
      ...ENV,
      '--expect',
      'samples/expect/archiver.expect.json',
      '--check',
      '--summary',
    ],
  },
  // The same policies on Amazon SES inbound (receipt rules), for the move off WorkMail (docs/moving-off-workmail.md).
  {
    title: 'On SES: the guard’s verdict rules (tagging does not apply: samples/expect/guard-ses.expect.json)',
    args: [
      '--engine',
      'ses',
      '--function',
      'guard-ses',
      ...ENV,
      '--expect',
      'samples/expect/guard-ses.expect.json',
      '--check',
      '--summary',
    ],
  },
  {
    title: 'On SES: the same wire-transfer rule, the same expectations',
    args: [
      '--engine',
      'ses',
      '--handler',
      'samples/lambdas/wire-transfer-blocker-ses.ts',
      ...ENV,
      '--expect',
      'samples/expect/wire-transfer-blocker.expect.json',
      '--check',
      '--summary',
    ],
  },
  {
    title: 'On SES: the archiver journals what the S3 action stored, the same expectations',
    args: [
      '--engine',
      'ses',
      '--function',
      'archiver-ses',
      ...ENV,
      '--expect',
      'samples/expect/archiver.expect.json',
      '--check',
      '--summary',
    ],
  },
];

let failed = 0;
for (const step of steps) {
  process.stdout.write(`\n▶ ${step.title}\n  $ wmflow replay ${step.args.join(' ')}\n\n`);
  const run = spawnSync(
    process.execPath,
    ['--conditions=wmflow-source', '--import', 'tsx', relative(ROOT, CLI), 'replay', ...step.args],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (run.status !== 0) failed++;
}
process.stdout.write(
  failed === 0
    ? '\nAll outcomes as expected. Try: npm run wmflow -- replay <your .eml folder> --function guard --org-domain <your domain> --out out/\n'
    : `\n${failed} step(s) did not go as expected (see above).\n`,
);
process.exitCode = failed === 0 ? 0 : 1;
