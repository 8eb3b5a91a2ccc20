import { writeFile } from 'node:fs/promises';
import { createServer, isIPv4 } from 'node:net';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { sesMessageId } from '@wmflow/core/testing';
import { LocalStackError } from '../errors.js';
import { findMessageFiles } from '../load-eml.js';
import { bucketsNamedIn, parseEnvPairs } from '../replay/env-file.js';
import { readFixture } from '../replay/read-fixture.js';
import { samEnvVars } from '../sam-env.js';
import { startLocalStack } from '../stack.js';

/**
 * `wmflow serve`: starts the local stack (DynamoDB and its `RATE_TABLE` included), prints `export NAME=value` lines,
 * one `<messageId>\t<path>` line per loaded message and `ready`, then runs
 * until SIGINT or SIGTERM and stops cleanly (exit code 0). `--host ADDR` listens on
 * another IPv4 address of this machine (containers cannot reach 127.0.0.1);
 * `--env-json FILE` writes the `sam local invoke --env-vars` file for the stack; `--env KEY=VALUE` adds a variable to
 * it and to the export lines (one ending in `_BUCKET` gets its bucket, as in `replay`). `--engine ses` stores each loaded
 * message where an SES receipt rule's S3 action would (`wmflow-inbound`, `inbound/<id>`) and tells the SES
 * emulation it received it, so an SES function (and its bounces) runs against the stack.
 *
 * @example
 * ```ts
 * await serve(['--load', 'samples/eml', '--bucket', 'journal']);
 * ```
 */
export async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      load: { type: 'string', multiple: true, default: [] },
      bucket: { type: 'string', multiple: true, default: [] },
      region: { type: 'string' },
      host: { type: 'string' },
      'env-json': { type: 'string' },
      env: { type: 'string', multiple: true, default: [] },
      engine: { type: 'string', default: 'workmail' },
    },
    strict: true,
  });
  if (values.host !== undefined && !isIPv4(values.host)) {
    throw new LocalStackError(
      '--host: an IPv4 address of this machine (the SDK addresses S3 buckets by path only for IP endpoints), e.g. 172.17.0.1 for Docker on Linux',
    );
  }
  if (values.engine !== 'workmail' && values.engine !== 'ses')
    throw new LocalStackError('--engine: workmail or ses');
  const ses = values.engine === 'ses';
  // The function's own settings (UPDATES_BUCKET…): the env file is written afresh each run, so they go in here.
  const userEnv = parseEnvPairs(values.env);
  for (const name of Object.keys(userEnv)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new LocalStackError(`--env ${name}: a variable name is letters, digits and _`);
    if (ses && (name === 'STORED_BUCKET' || name === 'STORED_KEY_PREFIX'))
      throw new LocalStackError(
        `--env ${name}: serve --engine ses stores each message in ${STORED.bucket}/${STORED.prefix} and sets it itself`,
      );
  }
  if (values.host !== undefined) await checkListenable(values.host);
  const files = await findMessageFiles(values.load);
  // SES: each message is stored where a receipt rule's S3 action would, and SES is told it received it.
  const buckets = [
    ...new Set([...values.bucket, ...bucketsNamedIn(userEnv), ...(ses ? [STORED.bucket] : [])]),
  ];
  const stack = await startLocalStack({
    ...(values.host ? { host: values.host } : {}),
    ...(buckets.length > 0 ? { buckets } : {}),
    ...(values.region ? { region: values.region } : {}),
  });
  const lines = Object.entries(stack.env).map(([name, value]) => `export ${name}=${shellQuote(value, name)}`);
  lines.push(`export RATE_TABLE=${stack.dynamo.tables[0] ?? ''}`);
  if (ses) lines.push(`export STORED_BUCKET=${STORED.bucket}`, `export STORED_KEY_PREFIX=${STORED.prefix}`);
  for (const [name, value] of Object.entries(userEnv))
    lines.push(`export ${name}=${shellQuote(value, name)}`);
  for (const file of files) {
    if (!ses) {
      lines.push(`${stack.flow.load(readFixture(file))}\t${file}`);
      continue;
    }
    const id = sesMessageId();
    const Body = readFixture(file);
    await stack.s3.send(new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.prefix}${id}`, Body }));
    stack.ses.receive(id);
    lines.push(`${id}\t${file}`);
  }
  if (values['env-json']) {
    const vars = samEnvVars(stack.env);
    // The SES functions read the message from where serve stored it; the template's own bucket is not it.
    if (ses)
      Object.assign(vars.Parameters, { STORED_BUCKET: STORED.bucket, STORED_KEY_PREFIX: STORED.prefix });
    Object.assign(vars.Parameters, userEnv);
    await writeFile(values['env-json'], `${JSON.stringify(vars, null, 2)}\n`);
  }
  lines.push('ready');
  process.stdout.write(`${lines.join('\n')}\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  await stack.stop();
  process.stderr.write(`wmflow serve: stopped on ${signal}\n`);
  return 0;
}

// Where `wmflow replay --engine ses` stores messages too (STORED_BUCKET, STORED_KEY_PREFIX defaults).
const STORED = { bucket: 'wmflow-inbound', prefix: 'inbound/' };

function shellQuote(value: string, name: string): string {
  if (/^[A-Za-z0-9_./:@=-]+$/.test(value)) return value;
  const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  // A line break inside quotes splits the export line: a value holding a line `ready` ended a reader before the message
  // lines, and a line `<id>\t<path>` added one (fault round 83). Such a value is written on one line, control
  // characters as printf's octal escapes; the `_` keeps trailing line breaks from the command substitution. POSIX sh
  // (dash has no $'…') and bash read it back byte for byte.
  if (![...value].some(isControl)) return quoted(value);
  const escaped = [...value]
    .map((c) =>
      c === '\\'
        ? '\\\\'
        : isControl(c)
          ? `\\0${(c.codePointAt(0) as number).toString(8).padStart(3, '0')}`
          : c,
    )
    .join('');
  return `"$(printf '%b_' ${quoted(escaped)})"; export ${name}="\${${name}%_}"`;
}

// A character that ends or disturbs a line: a C0 control but tab, or DEL.
function isControl(c: string): boolean {
  const code = c.codePointAt(0) as number;
  return (code < 0x20 && code !== 0x09) || code === 0x7f;
}

// Tried before any server starts, so a wrong address ends the command with a reason, not a stack trace.
async function checkListenable(host: string): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, host, resolve);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new LocalStackError(
      `--host ${host}: cannot listen there (${code}). Give an IPv4 address of this machine: on Linux with Docker, ` +
        '172.17.0.1 exists only while Docker runs (see `ip -4 addr show docker0`); on macOS, the LAN address',
    );
  } finally {
    probe.close();
  }
}
