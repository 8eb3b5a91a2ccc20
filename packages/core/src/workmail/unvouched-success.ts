/**
 * Whether a success answer lacks the request id every AWS answer carries (`x-amzn-RequestId`, which the SDK reads
 * into `$metadata.requestId`): a `200` from something in between (a proxy, a cache, a captive gateway), not from
 * WorkMail (fault round 91). It says nothing about whether the request was applied: a PutRawMessageContent answered
 * so is resolved as one whose answer was lost, by reading the message back.
 *
 * @example
 * ```ts
 * const answer = await client.send(new PutRawMessageContentCommand(input));
 * if (unvouchedSuccess(answer)) return resolveLostAnswer(…);
 * ```
 */
export function unvouchedSuccess(answer: { $metadata?: { requestId?: string } } | undefined): boolean {
  const id = answer?.$metadata?.requestId;
  return typeof id !== 'string' || id.trim() === '';
}
