/** Lambda entry of outbound-policy: configuration from the environment, checked at cold start. */
import { outboundPolicy } from './outbound-policy.js';

export const handler = outboundPolicy(process.env);
