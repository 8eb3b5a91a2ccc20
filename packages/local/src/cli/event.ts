import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { makeFlowEvent, sesMessageId } from '@wmflow/core/testing';
import { LocalStackError } from '../errors.js';
import { deriveEnvelope, inferDirection } from '../replay/envelope.js';
import { parseSesVerdicts, sesEventFromEml } from '../ses/ses-event.js';
import { orgDomains } from './org-domains.js';

/**
 * `wmflow event <file.eml>`: prints the event a WorkMail "Run Lambda" rule
 * would send for the message (envelope from the headers unless overridden,
 * subject cut at 256, fresh ids), for `sam local invoke -e`.
 *
 * @example
 * ```ts
 * await event(['samples/eml/01-plain-text.eml', '--org-domain', 'corp.example']);
 * ```
 */
export async function event(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      direction: { type: 'string' },
      'mail-from': { type: 'string' },
      recipient: { type: 'string', multiple: true, default: [] },
      'org-domain': { type: 'string', multiple: true, default: [] },
      'message-id': { type: 'string' },
      engine: { type: 'string', default: 'workmail' },
      'ses-verdict': { type: 'string', multiple: true, default: [] },
    },
  });
  if (values.engine !== 'workmail' && values.engine !== 'ses')
    throw new LocalStackError('--engine: workmail or ses');
  const [file, ...extra] = positionals;
  // A folder (replay's argument) or a shell glob (`mail/*.eml`) is said as such (newcomer round 7).
  if (file === undefined || extra.length > 0)
    throw new LocalStackError(
      `give exactly one message file${file === undefined ? '' : ` (${extra.length + 1} given)`}: an event is of one message`,
    );
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EISDIR')
      throw new LocalStackError(
        `${file} is a folder: give one message file in it (wmflow event ${file.replace(/\/+$/, '')}/<name>.eml): an event is of one message`,
      );
    throw new LocalStackError(`cannot read ${file}: ${error.message}`);
  });
  const domains = orgDomains(values['org-domain']);
  const given = values.direction?.toUpperCase();
  if (given !== undefined && given !== 'INBOUND' && given !== 'OUTBOUND') {
    throw new LocalStackError('--direction: INBOUND or OUTBOUND');
  }
  const from = deriveEnvelope(bytes, { direction: 'OUTBOUND' }).mailFrom;
  const direction = given ?? inferDirection(bytes, from, domains);
  if (values.engine === 'ses') {
    if (given === 'OUTBOUND')
      throw new LocalStackError('--engine ses: SES receipt rules see inbound mail only');
    const inbound = deriveEnvelope(bytes, { direction: 'INBOUND', organizationDomains: domains });
    const sesEvent = sesEventFromEml(bytes, {
      messageId: values['message-id'] ?? sesMessageId(),
      mailFrom: values['mail-from'] ?? inbound.mailFrom,
      recipients: values.recipient.length > 0 ? values.recipient : inbound.recipients,
      subject: inbound.subject,
      verdicts: parseSesVerdicts(values['ses-verdict']),
    });
    process.stdout.write(`${JSON.stringify(sesEvent, null, 2)}\n`);
    return 0;
  }
  const envelope = deriveEnvelope(bytes, { direction, organizationDomains: domains });
  const flowEvent = makeFlowEvent({
    direction,
    mailFrom: values['mail-from'] ?? envelope.mailFrom,
    recipients: values.recipient.length > 0 ? values.recipient : envelope.recipients,
    subject: envelope.subject,
    ...(values['message-id'] ? { messageId: values['message-id'] } : {}),
    ...(envelope.sender ? { sender: envelope.sender } : {}),
  });
  process.stdout.write(`${JSON.stringify(flowEvent, null, 2)}\n`);
  return 0;
}
