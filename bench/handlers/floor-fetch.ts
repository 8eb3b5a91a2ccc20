import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';

// The least a policy that reads bodies can do: download the whole message with the SDK and answer DEFAULT.
// No parsing, no rule: what the emulators, the SDK and the socket cost per message, the same for every side.
const client = new WorkMailMessageFlowClient({});

export const handler = async (event: { messageId: string }) => {
  const raw = await client.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  await (raw.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  return { actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] };
};
